# sys.exit(3): exit status 3 and nothing on stderr.
import sys


def check(values):
    bad = [v for v in values if v < 0]
    print("bad values:", bad)
    return 3 if bad else 0


status = check([1, -2, 3, -4])
print("exiting with status", status)
sys.exit(status)
print("never printed")
