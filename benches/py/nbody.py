# N-body style float arithmetic: five bodies, each a list [x, y, z, vx, vy, vz, mass], stepped
# with pairwise gravity by indexing into lists of lists; prints the energy before and after.
# The size (number of steps) comes from PYBENCH_N (set by `cargo xtask pybench`), else the
# default below.
# pybench: quick=1000 instructions=10000
import os

N = int(os.environ.get("PYBENCH_N", 50_000))

PI = 3.14159265358979323
SOLAR_MASS = 4.0 * PI * PI
DAYS_PER_YEAR = 365.24


def make_bodies():
    # Made-up orbits: one heavy body at rest and four lighter ones around it.
    rows = [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        [4.8, -1.1, -0.1, 0.0016, 0.0077, -0.00007, 0.00095],
        [8.3, 4.1, -0.4, -0.0028, 0.0050, 0.00002, 0.00028],
        [12.9, -15.1, -0.2, 0.0030, 0.0024, -0.00003, 0.000044],
        [15.4, -25.9, 0.18, 0.0027, 0.0016, -0.00009, 0.000051],
    ]
    bodies = []
    for r in rows:
        bodies.append(
            [
                r[0],
                r[1],
                r[2],
                r[3] * DAYS_PER_YEAR,
                r[4] * DAYS_PER_YEAR,
                r[5] * DAYS_PER_YEAR,
                r[6] * SOLAR_MASS,
            ]
        )
    return bodies


def offset_momentum(bodies):
    px = py = pz = 0.0
    for b in bodies:
        px += b[3] * b[6]
        py += b[4] * b[6]
        pz += b[5] * b[6]
    sun = bodies[0]
    sun[3] = -px / SOLAR_MASS
    sun[4] = -py / SOLAR_MASS
    sun[5] = -pz / SOLAR_MASS


def energy(bodies):
    e = 0.0
    n = len(bodies)
    for i in range(n):
        bi = bodies[i]
        e += 0.5 * bi[6] * (bi[3] * bi[3] + bi[4] * bi[4] + bi[5] * bi[5])
        for j in range(i + 1, n):
            bj = bodies[j]
            dx = bi[0] - bj[0]
            dy = bi[1] - bj[1]
            dz = bi[2] - bj[2]
            e -= bi[6] * bj[6] / (dx * dx + dy * dy + dz * dz) ** 0.5
    return e


def advance(bodies, pairs, dt, steps):
    for _ in range(steps):
        for i, j in pairs:
            bi = bodies[i]
            bj = bodies[j]
            dx = bi[0] - bj[0]
            dy = bi[1] - bj[1]
            dz = bi[2] - bj[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * d2**0.5)
            mi = bi[6] * mag
            mj = bj[6] * mag
            bi[3] -= dx * mj
            bi[4] -= dy * mj
            bi[5] -= dz * mj
            bj[3] += dx * mi
            bj[4] += dy * mi
            bj[5] += dz * mi
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]


def run(steps):
    bodies = make_bodies()
    offset_momentum(bodies)
    pairs = [(i, j) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]
    before = energy(bodies)
    advance(bodies, pairs, 0.01, steps)
    after = energy(bodies)
    return "%.9f %.9f" % (before, after)


print(run(N))
