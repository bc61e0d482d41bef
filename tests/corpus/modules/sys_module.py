# sys: argv, maxsize, recursion limit, stdout.write, modules, intern, path.
import sys

print(len(sys.argv), sys.argv[0].endswith(".py"), type(sys.argv).__name__)
print(sys.maxsize, sys.maxsize == 2 ** 63 - 1)
print(isinstance(sys.getrecursionlimit(), int))
old = sys.getrecursionlimit()
sys.setrecursionlimit(2500)
print(sys.getrecursionlimit())
sys.setrecursionlimit(old)
print(sys.getrecursionlimit() == old)
n = sys.stdout.write("written with sys.stdout.write\n")
print(n)
sys.stdout.write("no newline; ")
sys.stdout.write("then one\n")
sys.stderr.write("stderr is not compared\n")
print("sys" in sys.modules, "__main__" in sys.modules, "helper_shapes" in sys.modules)
import math

print("math" in sys.modules, sys.modules["math"] is math)
a = sys.intern("".join(["inter", "ned"]))
b = sys.intern("interned")
print(a is b, a == b)
print(isinstance(sys.path, list), all(isinstance(p, str) for p in sys.path))
print(sys.modules["__main__"].__name__)
