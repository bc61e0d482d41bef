if a: pass
elif b: x = 1
else: x = 2
while not done: step()
for i, j in pairs: total = i * j
x = y = z = 0
