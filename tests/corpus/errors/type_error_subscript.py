# Subscripting an int.
rows = [[1, 2], [3, 4], 5]
for row in rows[:2]:
    print(row[0], row[1])


def first(row):
    return row[0]


print(first("text"))
print(first(rows[2]))
