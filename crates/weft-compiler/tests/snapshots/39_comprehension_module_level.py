squares = [n * n for n in range(10)]
pairs = {(a, b) for a in range(3) for b in range(a)}
gen = (c for c in "abc")
