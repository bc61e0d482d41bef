# LOAD_GLOBAL caches a global's or a builtin's value until the globals or builtins dict
# changes: every rebinding, deletion, shadowing and un-shadowing must be seen at once.
import builtins

g = 1


def read_g():
    return g


def use_len(x):
    return len(x)


for i in range(3):
    print(read_g(), use_len("ab"))

g = 2
print(read_g())
globals()["g"] = 3
print(read_g())
del g
try:
    read_g()
except NameError as e:
    print("NameError:", e)
g = 4
print(read_g())


# A global shadows the builtin, then goes away again.
def len(x):
    return "mine"


print(use_len("ab"))
del len
print(use_len("ab"))

# The builtin itself replaced in the builtins module, then restored.
real_len = builtins.len
builtins.len = lambda x: "patched"
print(use_len("ab"))
builtins.len = real_len
print(use_len("ab"))

# Another global added to the dict does not disturb cached ones.
for k in range(5):
    globals()["extra%d" % k] = k
    print(read_g(), use_len("abc"))

# The same code run with another globals dict (exec) sees that dict's values.
code = read_g.__code__
ns = {"g": "other"}
exec("def read_g2():\n    return g\n", ns)
for i in range(3):
    print(ns["read_g2"](), read_g())


# A global rebound inside a loop in the function that reads it.
def counter():
    global hits
    hits = 0
    for i in range(5):
        hits = hits + 1
    return hits


print(counter(), counter())


# A cached global keeps nothing alive: the caches remember where a name is, not its value.
import sys


class Held:
    pass


held = Held()
before = sys.getrefcount(held)


def read_held():
    return held


for i in range(4):
    read_held()
print("extra references:", sys.getrefcount(held) - before)
