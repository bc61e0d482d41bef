def f(items):
    total = 0
    found = [y := i for i in items if (total := total + i)]
    return found, y, total

def g():
    global h
    return [h := 1 for _ in range(3)]

z = [w := n for n in range(2)]
