# String building and dict counting.
# The size comes from PYBENCH_N (set by `cargo xtask pybench`), else the default below.
# pybench: quick=10000 instructions=150000
import os

N = int(os.environ.get("PYBENCH_N", 1_000_000))

def run(n):
    counts = {}
    parts = []
    for i in range(n):
        word = "w" + str(i % 1000)
        counts[word] = counts.get(word, 0) + 1
        if i % 100 == 0:
            parts.append(word)
    text = ",".join(parts)
    return len(counts), len(text), counts["w7"]

print(run(N))
