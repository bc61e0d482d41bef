# Defining classes: __init__, methods, bound methods, class body execution.
class Stack:
    """A tiny stack."""

    print("class body runs once")

    def __init__(self):
        self.items = []

    def push(self, x):
        self.items.append(x)
        return self

    def pop(self):
        return self.items.pop()

    def __len__(self):
        return len(self.items)


s = Stack()
s.push(1).push(2).push(3)
print(len(s), s.pop(), len(s))
push = s.push
push(9)
print(s.items)
print(Stack.__doc__, Stack.__name__)
unbound = Stack.pop
print(unbound(s), s.items)
print(type(s.push).__name__, s.push.__self__ is s)


class Empty:
    pass


e = Empty()
e.anything = 1
print(e.anything, type(e).__name__)
print(Empty.__qualname__, Stack.push.__qualname__)


def outside(self):
    return "attached " + type(self).__name__


Empty.method = outside
print(e.method())
