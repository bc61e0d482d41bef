# An exception raised deep inside method calls propagates to the top.
class Parser:
    def parse(self, items):
        return [self.parse_item(i) for i in items]

    def parse_item(self, item):
        return self.convert(item)

    def convert(self, item):
        return 100 // item


p = Parser()
print(p.parse([1, 2, 5]))
print(p.parse([4, 0, 1]))
