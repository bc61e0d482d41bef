def f():
    global G
    G = 1
    class K:
        global H
        H = 2
        v = G
    return K
