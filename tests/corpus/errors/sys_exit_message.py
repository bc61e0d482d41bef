# sys.exit("message"): the message goes to stderr and the exit status is 1.
import sys

settings = {"name": "demo"}
for key in ["name", "path"]:
    if key in settings:
        print("found", key)
    else:
        print("about to fail")
        sys.exit("fatal: configuration missing " + key)
print("never printed")
