# Formatted table output with alignment and totals.
rows = [
    ("widget", 4, 3.5),
    ("gadget", 10, 12.25),
    ("doohickey", 1, 199.99),
    ("thing", 0, 0.5),
]
header = f"{'item':<10} {'qty':>4} {'price':>8} {'total':>9}"
print(header)
print("-" * len(header))
grand = 0.0
for name, qty, price in rows:
    total = qty * price
    grand += total
    print(f"{name:<10} {qty:>4d} {price:>8.2f} {total:>9.2f}")
print("-" * len(header))
print(f"{'TOTAL':<10} {sum(r[1] for r in rows):>4d} {'':>8} {grand:>9.2f}")
print("%-10s|%10s|" % ("left", "right"))
for i in range(1, 4):
    print(" ".join("%3d" % (i * j) for j in range(1, 6)))
