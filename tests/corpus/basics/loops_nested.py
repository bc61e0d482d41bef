# Nested loops, loop variables after the loop, and range iteration.
for i in range(3):
    row = []
    for j in range(4):
        row.append(i * j)
    print(row)
print("i after loop:", i, "j after loop:", j)
table = {}
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    table.setdefault(word[0], []).append(word)
for letter, words in table.items():
    print(letter, words)
found = None
for a in range(1, 20):
    for b in range(a, 20):
        c2 = a * a + b * b
        c = int(c2 ** 0.5)
        if c * c == c2 and c < 20:
            found = (a, b, c)
            break
    if found:
        break
print("first triple:", found)
count = 0
n = 27
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    count += 1
print("collatz steps for 27:", count)
