def f(items, limit):
    for x in items:
        if x > limit:
            break
        if x < 0:
            continue
        print(x)
    else:
        print("done")
    i = 0
    while i < limit:
        i += 1
        if i == 5:
            break
    else:
        i = -1
    return i
