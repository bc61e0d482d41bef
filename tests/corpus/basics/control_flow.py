# if/elif/else, while/for with else, break and continue.
for n in range(1, 16):
    if n % 15 == 0:
        print("FizzBuzz")
    elif n % 3 == 0:
        print("Fizz")
    elif n % 5 == 0:
        print("Buzz")
    else:
        print(n)


def find(items, target):
    for i, item in enumerate(items):
        if item == target:
            print("found at", i)
            break
    else:
        print("not found")


find([4, 5, 6], 5)
find([4, 5, 6], 7)
i = 0
while i < 10:
    i += 1
    if i % 2:
        continue
    if i > 6:
        break
    print("even", i)
else:
    print("never printed")
while False:
    pass
else:
    print("while else runs when the condition is false")
total = 0
for x in []:
    total += 1
else:
    total = -1
print(total)
