# int() with bases and prefixes, hex/oct/bin, and round trips.
print(int("ff", 16), int("FF", 16), int("0xff", 16), int("0xff", 0), int("777", 8), int("0o777", 0))
print(int("1010", 2), int("0b1010", 0), int("z", 36), int("Zz", 36), int("  42  "), int("-17"), int("+5"))
print(int("1_000_000"), int("0x_ff", 16), int("0_7"))
print(hex(255), hex(-255), oct(8), oct(-8), bin(10), bin(-10), bin(0), hex(2 ** 70))
for n in [0, 1, 255, 4096, 123456789]:
    assert int(hex(n), 16) == n and int(oct(n), 8) == n and int(bin(n), 2) == n
print("round trips ok")
for bad, base in [("12", 2), ("abc", 10), ("", 10), ("0x", 16), ("1 2", 10), ("08", 0)]:
    try:
        int(bad, base)
    except ValueError as e:
        print("ValueError:", e)
try:
    int("10", 1)
except ValueError as e:
    print("ValueError:", e)
try:
    int(10, 2)
except TypeError as e:
    print("TypeError:", e)
print(int(3.99), int(-3.99), int(True), int(1e20), int("0"), int())
