"""A straightforward pure-Python implementation of the BDM model, one game at a time.

It follows the same rules and options as :class:`.bdm.BDMModel` with plain loops over actors, the
way the model is usually written (compare D. Masad's and J. McKibben's replications). It exists as
an independent oracle for the vectorised code (the tests compare the two on random games) and as
the baseline of the speed benchmark (:mod:`.benchmark`); it is not used by the CLI.
"""

from __future__ import annotations

__all__ = ["play"]


def _median(x: list[float], w: list[float]) -> float:
    order = sorted(range(len(x)), key=lambda i: x[i])
    total, cum = sum(w), 0.0
    for i in order:
        cum += w[i]
        if cum >= total * 0.5 * (1.0 - 1e-12):
            return x[i]
    return x[order[-1]]


def _mean(x: list[float], w: list[float]) -> float:
    return sum(a * b for a, b in zip(x, w, strict=True)) / sum(w)


def _probabilities(x: list[float], w: list[float], rule: str, r: list[float], span: float) -> list[list[float]]:
    n = len(x)

    def dist(k: int, pos: float) -> float:
        d = abs(x[k] - pos)
        return (d / span) ** r[k] if rule == "scholz_code" else d

    all_votes = 0.0
    if rule == "scholz_code":
        for k in range(n):
            for first in range(n):
                for second in range(n):
                    all_votes += w[k] * abs(dist(k, x[second]) - dist(k, x[first]))
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if x[i] == x[j]:
                continue
            pos, net, total = 0.0, 0.0, 0.0
            for k in range(n):
                a = dist(k, x[j]) - dist(k, x[i])
                pos += w[k] * max(a, 0.0)
                net += w[k] * a
                total += w[k] * abs(a)
            if rule == "paper":
                p[i][j] = pos / total if total > 0 else 0.0
            elif rule == "clipped":
                p[i][j] = max(net, 0.0) / total if total > 0 else 0.0
            else:
                p[i][j] = pos / all_votes if all_votes > 0 else 0.0
    return p


def _eu(i: int, j: int, x: list[float], mu: float, r: float, p: float, s_resist: float, span: float, q: float,
        t: float | None) -> float:  # fmt: skip
    d = abs(x[i] - x[j]) / span
    m = abs(x[i] - mu) / span

    def u(base: float) -> float:
        return 2.0 - 4.0 * max(base, 0.0) ** r

    us, uf = u(0.5 - 0.5 * d), u(0.5 + 0.5 * d)
    ub, uw, usq = u(0.5 - 0.25 * (m + d)), u(0.5 + 0.25 * (m + d)), 2.0 - 4.0 * 0.5**r
    tt = (1.0 if abs(x[i] - mu) < abs(x[i] - x[j]) else 0.0) if t is None else t
    return s_resist * (p * us + (1 - p) * uf) + (1 - s_resist) * us - q * usq - (1 - q) * (tt * ub + (1 - tt) * uw)


def _round(x: list[float], s: list[float], c: list[float], span: float, opts: dict) -> tuple[list[float], list[float]]:
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]
    mu = _median(x, w)
    q, t, printed = opts["q"], opts["t"], opts["salience"] == "printed"
    p1 = _probabilities(x, w, opts["probability"], [1.0] * n, span)
    # security S_i = sum over challengers j of E_ji (first pass, r = 1)
    sec = [0.0] * n
    for i in range(n):
        for j in range(n):
            if j != i:
                sec[i] += _eu(j, i, x, mu, 1.0, p1[j][i], s[j] if printed else s[i], span, q, t)
    hi, lo = max(sec), min(sec)
    r = [(1 - rr / 3) / (1 + rr / 3) for rr in ((2 * v - hi - lo) / (hi - lo) if hi > lo else 0.0 for v in sec)]
    p2 = _probabilities(x, w, "scholz_code", r, span) if opts["probability"] == "scholz_code" else p1
    new_x = list(x)
    for j in range(n):  # receiver
        best_key: tuple[float, float] | None = None
        best_pos = x[j]
        any_conflict = False
        offers = []
        for i in range(n):  # sender
            if i == j or x[i] == x[j]:
                continue
            r_send = r[j] if opts["perspective"] == "receiver" else r[i]
            a = _eu(i, j, x, mu, r_send, p2[i][j], s[j], span, q, t)
            if a <= 0:
                continue
            b = _eu(j, i, x, mu, r[j], p2[j][i], s[j] if printed else s[i], span, q, t)
            if 0 < b < a:
                offers.append(("conflict", x[i], a, b, i))
                any_conflict = True
            elif b <= 0 and -b < a:
                offers.append(("compromise", x[j] + (x[i] - x[j]) * abs(b / a), a, b, i))
            elif b < 0 and -b >= a and opts["selection"] != "scholz_code":
                offers.append(("compel", x[i], a, b, i))
        for kind, pos, a, b, i in offers:
            move = abs(pos - x[j])
            key: tuple[float, float]
            if opts["selection"] == "least_move":
                key = ({"conflict": 0, "compromise": 1, "compel": 2}[kind], move)
            elif opts["selection"] == "max_eu":
                key = (-a, 0.0)
            elif kind == "conflict":
                key = (0, move)
            elif any_conflict:
                continue
            else:
                key = (0, (abs(b) * x[j] + abs(a) * x[i]) / (abs(a) + abs(b)))
            if best_key is None or key < best_key:
                best_key, best_pos = key, pos
        new_x[j] = best_pos
    return new_x, r


def play(
    x: list[float],
    s: list[float],
    c: list[float],
    *,
    max_rounds: int = 10,
    tol: float = 1e-4,
    q: float = 1.0,
    t: float | None = None,
    scale: tuple[float, float] | None = None,
    probability: str = "paper",
    selection: str = "least_move",
    perspective: str = "own",
    salience: str = "target",
) -> dict[str, list]:
    """Play one game; returns ``positions``, ``means``, ``medians`` (per round) and ``risk`` (per round)."""
    opts = {"q": q, "t": t, "probability": probability, "selection": selection, "perspective": perspective,
            "salience": salience}  # fmt: skip
    span = (scale[1] - scale[0]) if scale else (max(x) - min(x))
    span = span if span > 0 else 1.0
    w = [a * b for a, b in zip(c, s, strict=True)]
    positions, means, medians, risks = [list(x)], [_mean(x, w)], [_median(x, w)], []
    for _ in range(max_rounds):
        x, r = _round(x, s, c, span, opts)
        positions.append(list(x))
        means.append(_mean(x, w))
        medians.append(_median(x, w))
        risks.append(r)
        if abs(means[-1] - means[-2]) <= tol * span and abs(medians[-1] - medians[-2]) <= tol * span:
            break
    return {"positions": positions, "means": means, "medians": medians, "risk": risks}
