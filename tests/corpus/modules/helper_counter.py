# Helper module that records how many times its body executed.
import sys

loads = getattr(sys, "_corpus_helper_counter_loads", 0) + 1
sys._corpus_helper_counter_loads = loads
print("helper_counter body executed (load #%d)" % loads)
value = 0


def bump():
    global value
    value += 1
    return value
