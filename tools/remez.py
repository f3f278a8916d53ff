"""Weighted minimax polynomial fitting (Remez exchange) in mpmath precision.

Used by tools/fit_coefficients.py to derive every polynomial constant in
src_c/.  The fit minimises max |w(x) * (P(x) - g(x))| over [a, b] where
P(x) = sum_k c_k * x**powers[k]; choosing g and w turns this into a relative
error fit of the function the kernel actually computes (see the fits there).
"""
from __future__ import annotations

import mpmath as mp


def _solve_reference(g, w, powers, xs):
    """Coefficients and levelled error E for one reference set (n+1 points)."""
    n = len(powers)
    rows, rhs = [], []
    for i, x in enumerate(xs):
        rows.append([x ** p for p in powers] + [(-1) ** i / w(x)])
        rhs.append(g(x))
    sol = mp.lu_solve(mp.matrix(rows), mp.matrix(rhs))
    return [sol[k] for k in range(n)], sol[n]


def _poly(coeffs, powers, x):
    return mp.fsum(c * x ** p for c, p in zip(coeffs, powers))


def _new_reference(err, a, b, m, grid):
    """m alternating local extrema of err on [a, b], found on a dense grid then
    refined by golden-section search."""
    xs = [a + (b - a) * mp.mpf(i) / grid for i in range(grid + 1)]
    es = [err(x) for x in xs]
    # an exact zero of the error (a zero of the weight, e.g. at x = 0 for a
    # relative fit with fixed leading terms) is no sign change: drop it
    keep = [i for i, e in enumerate(es) if e != 0]
    xs, es = [xs[i] for i in keep], [es[i] for i in keep]
    # split the grid into runs of constant sign; keep the largest |err| per run
    runs, start = [], 0
    for i in range(1, len(xs) + 1):
        if i == len(xs) or mp.sign(es[i]) != mp.sign(es[start]):
            j = max(range(start, i), key=lambda k: abs(es[k]))
            runs.append(j)
            start = i
    # refine each extremum inside its neighbouring grid cells
    refined = []
    for j in runs:
        lo, hi = xs[max(j - 1, 0)], xs[min(j + 1, len(xs) - 1)]
        sgn = mp.sign(es[j])
        f = lambda t: -sgn * err(t)  # noqa: E731 - minimise the negated extremum
        phi = (mp.sqrt(5) - 1) / 2
        c, d = hi - phi * (hi - lo), lo + phi * (hi - lo)
        for _ in range(40):
            if f(c) < f(d):
                hi, d = d, c
                c = hi - phi * (hi - lo)
            else:
                lo, c = c, d
                d = lo + phi * (hi - lo)
        refined.append((lo + hi) / 2)
    # keep m points with alternating sign and the largest errors
    while len(refined) > m:
        vals = [abs(err(x)) for x in refined]
        # drop the smaller end, or merge the smallest adjacent pair
        if vals[0] < vals[-1]:
            refined.pop(0)
        else:
            refined.pop()
    return refined


def remez(g, w, a, b, powers, iterations=25, grid=2000, dps=50):
    """Return (coefficients, max weighted error) of the minimax fit."""
    weight = w
    w = lambda x: abs(weight(x))  # noqa: E731 - a weight's sign is meaningless
    with mp.workdps(dps):
        a, b = mp.mpf(a), mp.mpf(b)
        n = len(powers)
        # Chebyshev extrema, nudged inside so a zero weight at an end point
        # (relative fits through the origin) cannot make the system singular
        # and shifted off-centre so none lands on an interior zero of w
        inset = (b - a) * mp.mpf("1e-4")
        shift = (b - a) * mp.mpf("0.01") / (n + 1)
        xs = sorted(min(b - inset, (a + b) / 2 + shift + (b - a - 2 * inset) / 2 * mp.cos(mp.pi * i / n))
                    for i in range(n + 1))
        best = None
        for _ in range(iterations):
            coeffs, level = _solve_reference(g, w, powers, xs)
            err = lambda x, c=coeffs: w(x) * (_poly(c, powers, x) - g(x))  # noqa: E731
            new_xs = _new_reference(err, a, b, n + 1, grid)
            worst = max(abs(err(x)) for x in new_xs)
            best = (coeffs, worst)
            if len(new_xs) < n + 1 or worst - abs(level) < abs(level) * mp.mpf("1e-6"):
                break
            xs = new_xs
        return best


def max_error(g, w, a, b, powers, coeffs, samples=20000, dps=50):
    """Max weighted error of given (e.g. rounded) coefficients on a dense grid."""
    with mp.workdps(dps):
        a, b = mp.mpf(a), mp.mpf(b)
        return max(abs(w(x) * (_poly(coeffs, powers, x) - g(x)))
                   for x in (a + (b - a) * mp.mpf(i) / samples for i in range(samples + 1)))
