# finally interacting with return, break and continue.
def ret_in_try():
    try:
        return "try"
    finally:
        print("finally after try-return")


def ret_overridden():
    try:
        return "try"
    finally:
        return "finally"


def swallow():
    try:
        raise ValueError("lost")
    finally:
        return "finally swallowed the exception"


print(ret_in_try())
print(ret_overridden())
print(swallow())
for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("body", i)
    finally:
        print("finally", i)


def count():
    n = 0
    while True:
        try:
            n += 1
            if n == 3:
                return n
        finally:
            print("cleanup", n)


print(count())


def value_evaluated_first():
    x = 1
    try:
        return x
    finally:
        x = 2


print(value_evaluated_first())
