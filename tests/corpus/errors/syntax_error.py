# A syntax error: nothing runs, the exit status is 1 (the message is not compared).
print("this line never runs")


def f(:
    pass


print(f())
print("nor this one")
