"""Regenerates scopes.txt: per code object of each tests/scopes/*.py and
tests/snapshots/*.py program (breadth-first over nested code objects), CPython's
name, qualname, argument counts, flags (low 6 bits), varnames, cellvars, freevars, names.

Run with CPython 3.11 from this directory: python3 gen_scopes.py > scopes.txt
"""
import glob
import os
import types

here = os.path.dirname(os.path.abspath(__file__))
paths = glob.glob(os.path.join(here, "..", "scopes", "*.py"))
paths += glob.glob(os.path.join(here, "..", "snapshots", "*.py"))
for path in sorted(paths, key=os.path.basename):
    name = os.path.basename(path)
    code = compile(open(path).read(), name, "exec")
    work = [code]
    index = 0
    while work:
        c = work.pop(0)
        fields = [
            name,
            str(index),
            c.co_name,
            c.co_qualname,
            str(c.co_argcount),
            str(c.co_posonlyargcount),
            str(c.co_kwonlyargcount),
            str(c.co_flags & 0x3F),
            ",".join(c.co_varnames),
            ",".join(c.co_cellvars),
            ",".join(c.co_freevars),
            ",".join(c.co_names),
        ]
        print("\t".join(fields))
        index += 1
        work.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
