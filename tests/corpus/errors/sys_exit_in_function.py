# sys.exit with code 2 from inside nested calls; finally still runs.
import sys


def inner():
    sys.exit(2)


def outer():
    try:
        inner()
    finally:
        print("outer finally")


print("start")
outer()
