# Writing a file next to the program, checking it with os.path, removing it.
import os
import time

here = os.getcwd()
name = "weft_corpus_tmp_%d_%d.txt" % (time.time_ns(), id(object()))
path = os.path.join("/tmp", name)
with open(path, "w") as f:
    for i in range(3):
        f.write("row %d\n" % i)
print(os.path.exists(path), os.path.basename(path) == name, os.path.dirname(path))
with open(path) as f:
    rows = [line.split() for line in f]
print(rows)
os.remove(path)
print(os.path.exists(path))
try:
    os.remove(path)
except FileNotFoundError:
    print("second remove raises FileNotFoundError")
print(os.getcwd() == here)
