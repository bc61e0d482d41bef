# Format specification mini-language: fill, align, sign, width, precision, types.
n = 1234567
x = 3.14159
print(format(n, ","), format(n, "_"), format(n, ">12,"), format(-n, "012,"))
print(f"[{n:10}] [{n:<10}] [{n:^10}] [{n:*^11}] [{n:=+10}]")
print(f"[{x:.3f}] [{x:10.2f}] [{x:<10.1f}] [{x:+.2e}] [{x:.3g}] [{x:%}] [{0.25:.0%}]")
print(f"{255:b} {255:o} {255:x} {255:X} {255:#b} {255:#o} {255:#x} {255:08b}")
print(f"{65:c} {42:d} {42:+d} {-42:d} {42: d}")
print(f"{1e-7:g} {1e16:g} {123456789.0:g} {1.5:e} {0.0001:f} {1e22:f}")
print(f"[{'text':10}] [{'text':>10}] [{'text':^10}] [{'text':.2}] [{'text':-<8}]")
width, prec = 12, 3
print(f"[{x:{width}.{prec}f}] [{x:>{width}}] [{'s':{'^'}{5}}]")
print(f"{1000000.0:,.2f} {-0.0:.1f} {2.5:.0f} {3.5:.0f} {1.005:.2f}")
print(format(0.1, ".20f"), format(1 / 3, ".15g"))
print(f"{float('inf'):f} {float('-inf'):>6} {float('nan'):F}")
print(format(True, "d"), format(True), format(None, ""), format("x", ""))
print(f"{12:#06x} {-12:#06x} {1.0:#.0f} {5:02d}:{7:02d}")
