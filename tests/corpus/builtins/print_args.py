# print with sep, end, file=sys.stderr and flush.
import sys

print("one", 2, 3.0)
print("a", "b", sep="")
print("a", "b", sep="::", end="!\n")
print("stderr line", file=sys.stderr)
print("to stdout explicitly", file=sys.stdout)
print("partial", end="")
print(" line", flush=True)
print(*[1, 2, 3], sep=", ")
print()
print("", "", sep="x")
print(None)
try:
    print("x", sep=5)
except TypeError as e:
    print("TypeError:", e)
