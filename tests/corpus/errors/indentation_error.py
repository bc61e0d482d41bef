# Inconsistent indentation is a syntax error (message not compared).
print("this never runs")


def f():
    x = 1
      y = 2
    return x + y


print(f())
