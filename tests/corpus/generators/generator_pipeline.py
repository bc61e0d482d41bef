# Chained generators forming a lazy pipeline.
log = []


def source(lines):
    for line in lines:
        log.append("read " + line)
        yield line


def strip_comments(lines):
    for line in lines:
        if not line.startswith("#"):
            yield line


def parse(lines):
    for line in lines:
        key, _, value = line.partition("=")
        yield key.strip(), int(value)


text = ["a = 1", "# comment", "b = 22", "c = 333"]
pipeline = parse(strip_comments(source(text)))
print(log)
print(next(pipeline))
print(log)
print(dict(pipeline))
print(log)


def running_sum(it):
    total = 0
    for x in it:
        total += x
        yield total


print(list(running_sum(range(1, 11))))
print(list(running_sum(x for x in running_sum([1, 1, 1, 1]))))
