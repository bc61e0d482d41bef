def f(matrix, scale):
    return [[cell * scale for cell in row if cell] for row in matrix if row]
