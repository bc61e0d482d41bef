# Using lists as stacks and queues; a breadth-first search over a small graph.
graph = {
    "a": ["b", "c"],
    "b": ["d"],
    "c": ["d", "e"],
    "d": ["f"],
    "e": ["f"],
    "f": [],
}


def bfs(start, goal):
    queue = [[start]]
    seen = {start}
    while queue:
        path = queue.pop(0)
        node = path[-1]
        if node == goal:
            return path
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(path + [nxt])
    return None


def dfs(node, order):
    order.append(node)
    for nxt in graph[node]:
        if nxt not in order:
            dfs(nxt, order)
    return order


print(bfs("a", "f"), bfs("e", "a"))
print(dfs("a", []))
stack = [1]
for i in range(2, 6):
    stack.append(i)
print([stack.pop() for _ in range(len(stack))])
