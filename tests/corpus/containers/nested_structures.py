# Nested containers: building, traversing and copying a small data model.
inventory = {
    "fruit": [{"name": "apple", "qty": 3}, {"name": "pear", "qty": 0}],
    "veg": [{"name": "leek", "qty": 7}],
}
for category, items in inventory.items():
    for item in items:
        print(category, item["name"], item["qty"])
totals = {cat: sum(i["qty"] for i in items) for cat, items in inventory.items()}
print(totals)
inventory["veg"].append({"name": "kale", "qty": 2})
print([i["name"] for i in inventory["veg"]])
shallow = dict(inventory)
shallow["fruit"] = []
print(len(inventory["fruit"]), len(shallow["fruit"]))
shallow["veg"][0]["qty"] = 100
print(inventory["veg"][0])


def deep_copy(obj):
    if isinstance(obj, dict):
        return {k: deep_copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [deep_copy(v) for v in obj]
    return obj


deep = deep_copy(inventory)
deep["veg"][0]["qty"] = -1
print(inventory["veg"][0]["qty"], deep["veg"][0]["qty"])
tree = (1, (2, (3, None)))
node, values = tree, []
while node:
    values.append(node[0])
    node = node[1]
print(values)
