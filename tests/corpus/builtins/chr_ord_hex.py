# callable, chr, ord, hex, bin, oct, format.
print(callable(len), callable("s"), callable(lambda: 0), callable(int), callable(None))
print(chr(65), chr(97), chr(48), chr(8364), chr(0x1F40D) == "\U0001F40D", repr(chr(10)))
print(ord("A"), ord("z"), ord("€"), ord("\n"), ord("\U0001F40D"))
try:
    ord("ab")
except TypeError as e:
    print("TypeError:", e)
try:
    chr(-1)
except ValueError as e:
    print("ValueError:", e)
print(hex(0), hex(255), hex(-1), oct(64), oct(-7), bin(5), bin(-5), bin(2 ** 20))
print(format(255, "x"), format(255, "#X"), format(5, "08b"), format(3.5, "08.3f"), format("hi", "*^6"))
try:
    hex(1.5)
except TypeError as e:
    print("TypeError:", e)
print("".join(chr(ord(c) + 1) for c in "HAL"))
