# Threads update a shared dict and list under a Lock; totals are exact.
import threading

counts = {}
lock = threading.Lock()
words = "the quick brown fox jumps over the lazy dog the end".split()


def count_words(repeat):
    for _ in range(repeat):
        for w in words:
            with lock:
                counts[w] = counts.get(w, 0) + 1


threads = [threading.Thread(target=count_words, args=(50,)) for _ in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for w in sorted(counts):
    print(w, counts[w])
print(sum(counts.values()) == 6 * 50 * len(words))
appended = []


def appender(tag):
    for i in range(200):
        appended.append((tag, i))


ts = [threading.Thread(target=appender, args=(k,)) for k in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(appended), sorted(appended) == sorted((k, i) for k in range(4) for i in range(200)))
