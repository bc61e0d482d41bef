# Exceptions raised in imported modules, and importing a module that does not exist.
import helper_errors
from helper_errors import HelperError, explode

try:
    explode("boom")
except HelperError as e:
    print("caught", type(e).__name__, e, type(e).__module__)
print(HelperError is helper_errors.HelperError, issubclass(HelperError, Exception))
try:
    import helper_does_not_exist_anywhere
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e, e.name)
try:
    import helper_does_not_exist_anywhere
except ImportError as e:
    print("ImportError base also catches it:", type(e).__name__)
