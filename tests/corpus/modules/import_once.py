# A module imported several times executes its body only once.
import sys

import helper_counter
import helper_counter
import helper_counter as again
from helper_counter import bump


def import_inside_function():
    import helper_counter as inner
    return inner


print(helper_counter is again, import_inside_function() is helper_counter)
print(sys._corpus_helper_counter_loads)
print(bump(), bump(), helper_counter.value, again.value)
import helper_uses_other

print(helper_uses_other.combined(1))
print(helper_counter.value, sys._corpus_helper_counter_loads)
