# open() for text files: write, append, read back in several ways, then remove.
import os
import time

name = "weft_corpus_open_%d_%d.txt" % (time.time_ns(), id(object()))
path = os.path.join("/tmp", name)
print(os.path.basename(path) == name, os.path.dirname(path), os.path.exists(path))
with open(path, "w") as f:
    n = f.write("first line\n")
    f.write("second line\n")
    print("wrote", n, "chars", f.closed)
print(f.closed, os.path.exists(path))
with open(path, "a") as f:
    f.write("third line\nno newline at end")
with open(path) as f:
    print(repr(f.read()))
with open(path, "r") as f:
    print(repr(f.readline()), repr(f.readline()))
    print(f.readlines())
with open(path) as f:
    for i, line in enumerate(f):
        print(i, line.rstrip("\n"))
with open(path, encoding="utf-8") as f:
    print(len(f.read().splitlines()))
with open(path, "w", encoding="utf-8") as f:
    f.write("café ☃\n")
with open(path, encoding="utf-8") as f:
    text = f.read()
    print(text.strip(), len(text))
os.remove(path)
print(os.path.exists(path))
try:
    open(path)
except FileNotFoundError as e:
    print("FileNotFoundError raised", e.errno == 2)
