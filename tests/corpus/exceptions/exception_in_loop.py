# Exceptions as control flow inside loops, and validating inputs.
raw = ["10", "x", "3.5", "-4", "", "7"]
parsed = []
errors = []
for item in raw:
    try:
        parsed.append(int(item))
    except ValueError as e:
        errors.append(str(e))
print(parsed)
for e in errors:
    print(e)


def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError as e:
        return "error: %s" % e


print([safe_div(1, b) for b in (1, 2, 0, 4)])
d = {"a": 1}
for key in ["a", "b"]:
    try:
        value = d[key]
    except KeyError:
        value = "default"
    print(key, value)
attempts = 0
while True:
    attempts += 1
    try:
        if attempts < 3:
            raise ConnectionError("try again")
        print("connected after", attempts, "attempts")
        break
    except ConnectionError as e:
        print("attempt", attempts, "failed:", e)
