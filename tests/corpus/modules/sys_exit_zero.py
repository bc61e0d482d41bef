# sys.exit(0) and SystemExit handling; finally blocks run on exit.
import sys

try:
    sys.exit(5)
except SystemExit as e:
    print("caught SystemExit", e.code)
try:
    sys.exit("text")
except SystemExit as e:
    print("caught SystemExit", repr(e.code))
try:
    sys.exit()
except SystemExit as e:
    print("no-arg exit code", e.code)
try:
    print("exiting with 0")
    sys.exit(0)
finally:
    print("finally runs during sys.exit")
print("never printed")
