def f(m, k):
    return {i: [j * k for j in row if j > i] for i, row in enumerate(m)}
