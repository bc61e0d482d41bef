# String building and dict counting.
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

print(run(1_000_000))
