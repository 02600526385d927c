"""Bueno de Mesquita's expected-utility model, as specified by Scholz, Calbert & Smith (2011).

One issue, ``n`` actors with position ``x``, salience ``s`` (0-1) and capability ``c``; ``w = c·s``;
``R`` the width of the issue scale (by default the span of the initial positions). Each round:

1. ``r_i = 1``; ``μ`` = the weighted median (the Condorcet winner of the ``c·s`` votes).
2. Probability that ``i`` beats ``j`` (paper, eq. 31):
   ``P_ij = Σ_{k: a_k>0} w_k a_k / Σ_k w_k |a_k|`` with ``a_k = |x_k - x_j| - |x_k - x_i|``.
3. Basic utilities of ``i`` against ``j`` with ``d = |x_i - x_j| / R``, ``m = |x_i - μ| / R``:
   ``U_s = 2 - 4(0.5 - 0.5d)^r``, ``U_f = 2 - 4(0.5 + 0.5d)^r``,
   ``U_b = 2 - 4(0.5 - 0.25(m + d))^r``, ``U_w = 2 - 4(0.5 + 0.25(m + d))^r``, ``U_sq = 2 - 4·0.5^r``.
4. Expected utility of ``i`` challenging ``j`` (eqs. 5-7):
   ``E_ij = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w)``.
5. Security ``S_i = Σ_{j≠i} E_ji`` (first pass, ``r = 1``);
   ``R_i = (2 S_i - max S - min S) / (max S - min S)`` and ``r_i = (1 - R_i/3) / (1 + R_i/3)``.
6. Steps 3-4 again with the new ``r``; every ``i`` with ``E_ij > 0`` sends ``j`` an offer at ``x_i``.
7. Receiver ``j`` with counter-utility ``b = E_ji`` against sender utility ``a = E_ij``:
   conflict (``0 < b < a``): ``j`` moves to ``x_i``; compromise (``b ≤ 0``, ``|b| < a``):
   ``x_j += (x_i - x_j)|b / a|``; compel (``b < 0``, ``|b| ≥ a``): ``j`` moves to ``x_i``.
   Among its offers ``j`` takes a conflict before a compromise before a compel, and within a kind
   the one that moves it least ("players move the least that they can", §6.2).

Rounds repeat until the mean and the median both move less than ``tol·R`` (converged) or the round
cap is reached; a run that keeps reversing direction is reported as oscillating, never hidden.

Where the paper and the published code differ, the paper is the default and the code an option:
``probability="scholz_code"`` (the all-pairs denominator and risk-weighted votes of Scholz's code as
documented by J. McKibben's replication), ``selection="scholz_code"`` (its E-weighted rule among
compromises, which never capitulates), ``perspective="receiver"`` (the receiver evaluates both
utilities with its own ``r``), ``salience="printed"`` (the mirror equation as printed, with the
challenger's own salience) and ``probability="clipped"`` (D. Masad's replication). The preset
:meth:`BDMModel.scholz_code` combines the code's choices. ``docs/bargaining.md`` and decision
records 011-012 give the sources.

>>> import numpy as np
>>> from detente.bargaining.inputs import ec_emissions
>>> m = BDMModel(max_rounds=10).fit(ec_emissions().matrix("emissions"))
>>> round(float(m.means_[0]), 5), float(m.medians_[0])
(7.38996, 7.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .estimator import BaseModel, validate_x
from .models import compromise, weighted_median

__all__ = [
    "COMPEL",
    "COMPROMISE",
    "CONFLICT",
    "NO_OFFER",
    "OFFER_KINDS",
    "SCHOLZ_CODE_RULES",
    "BDMModel",
    "RoundState",
    "basic_utilities",
    "bdm_round",
    "expected_utility",
    "risk_exponents",
    "select_offers",
    "win_probability",
]

Probability = Literal["paper", "clipped", "scholz_code"]
Selection = Literal["least_move", "max_eu", "scholz_code"]
Perspective = Literal["own", "receiver"]
SalienceRule = Literal["target", "printed"]

#: offer kinds recorded per actor and round (``NO_OFFER``: the actor did not move)
NO_OFFER, CONFLICT, COMPROMISE, COMPEL = 0, 1, 2, 3
OFFER_KINDS = {NO_OFFER: "none", CONFLICT: "conflict", COMPROMISE: "compromise", COMPEL: "compel"}
#: the rules of Scholz's code as replicated by J. McKibben (``BDMModel.scholz_code``, ``--rules scholz-code``)
SCHOLZ_CODE_RULES = {"probability": "scholz_code", "selection": "scholz_code", "perspective": "receiver"}
_CHUNK = 8192  # games per vectorised block: bounds the (games, n, n, n) probability tensor
_CHOICES = {
    "probability": ("paper", "clipped", "scholz_code"),
    "selection": ("least_move", "max_eu", "scholz_code"),
    "perspective": ("own", "receiver"),
    "salience": ("target", "printed"),
}


def win_probability(
    x: np.ndarray,
    w: np.ndarray,
    rule: Probability = "paper",
    r: np.ndarray | None = None,
    span: np.ndarray | None = None,
) -> np.ndarray:
    """``P[..., i, j]``: probability that ``i`` prevails over ``j`` (0 where ``x_i == x_j``).

    ``rule="paper"``: supporters' votes over all votes (Scholz eq. 31, so ``P_ij + P_ji = 1``).
    ``"clipped"``: the net vote clipped at 0 over all votes (Masad). ``"scholz_code"``: votes
    ``w_k((|x_k - x_j|/R)^{r_k} - (|x_k - x_i|/R)^{r_k})`` over the sum of all such votes for every
    ordered pair of actors (needs ``r`` and ``span``).
    """
    d = np.abs(x[..., None, :] - x[..., :, None])  # d[i, k] = |x_k - x_i|
    if rule == "scholz_code":
        if r is None or span is None:
            raise ValueError("probability='scholz_code' needs the risk exponents r and the scale width")
        d = (d / span[..., None, None]) ** r[..., None, :]
    elif rule not in ("paper", "clipped"):
        raise ValueError(f"probability must be 'paper', 'clipped' or 'scholz_code', got {rule!r}")
    a = d[..., None, :, :] - d[..., :, None, :]  # a[i, j, k] = d[j, k] - d[i, k]
    np.maximum(a, 0.0, out=a)
    num = np.matmul(a, w[..., None, :, None])[..., 0]  # Σ_k w_k max(a_ijk, 0)
    den = num + np.swapaxes(num, -1, -2)  # max(a, 0) + max(-a, 0) = |a| and a_jik = -a_ijk
    if rule == "clipped":
        net = num - np.swapaxes(num, -1, -2)  # Σ_k w_k a_ijk
        num = np.maximum(net, 0.0)
    elif rule == "scholz_code":
        den = np.broadcast_to(den.sum((-2, -1), keepdims=True), num.shape)
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    same = x[..., :, None] == x[..., None, :]
    return np.where(same, 0.0, out)


def basic_utilities(
    x: np.ndarray, mu: np.ndarray, r: np.ndarray | None, span: np.ndarray, with_median: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray | float]:
    """``U_s, U_f, U_b, U_w, U_sq`` of ``i`` (rows) against ``j`` (columns), each ``(..., n, n)``.

    ``r`` is the exponent per ordered pair ``(..., n, n)`` (normally ``r_i`` along each row), or
    ``None`` for ``r = 1`` (no powers taken). ``with_median=False`` skips ``U_b`` and ``U_w``
    (returned as ``None``), which only matter when ``Q < 1``.
    """
    d = np.abs(x[..., :, None] - x[..., None, :]) / span[..., None, None]

    def u(base: np.ndarray) -> np.ndarray:
        base = np.maximum(base, 0.0)
        return 2.0 - 4.0 * (base if r is None else base**r)

    ub = uw = None
    if with_median:
        m = (np.abs(x - mu[..., None]) / span[..., None])[..., :, None]
        ub, uw = u(0.5 - 0.25 * (m + d)), u(0.5 + 0.25 * (m + d))
    usq = 0.0 if r is None else 2.0 - 4.0 * 0.5**r
    return u(0.5 - 0.5 * d), u(0.5 + 0.5 * d), ub, uw, usq


def expected_utility(
    p: np.ndarray,
    utilities: tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray | float],
    s_resist: np.ndarray,
    q: float = 1.0,
    t: np.ndarray | float = 1.0,
) -> np.ndarray:
    """``E[..., i, j]``: expected utility to ``i`` of challenging ``j`` (diagonal 0).

    ``s_resist[..., i, j]`` is the probability that the challenged side resists (the target's
    salience ``s_j`` in the paper).
    """
    us, uf, ub, uw, usq = utilities
    e = s_resist * (p * us + (1.0 - p) * uf) + (1.0 - s_resist) * us - q * usq
    if q != 1.0:
        if ub is None or uw is None:
            raise ValueError("Q < 1 needs the better/worse utilities (basic_utilities with with_median=True)")
        e = e - (1.0 - q) * (t * ub + (1.0 - t) * uw)
    n = e.shape[-1]
    return e * (1.0 - np.eye(n))


def risk_exponents(e_first: np.ndarray) -> np.ndarray:
    """Risk exponents ``r_i`` from first-pass expected utilities ``E[..., i, j]``.

    Security ``S_i = Σ_{j≠i} E_ji``; ``R_i`` rescales it to [-1, 1] across actors (0 where all are
    equal) and ``r_i = (1 - R_i/3) / (1 + R_i/3)`` lies in [0.5, 2].
    """
    sec = e_first.sum(-2)
    hi, lo = sec.max(-1, keepdims=True), sec.min(-1, keepdims=True)
    width = hi - lo
    big_r = np.zeros_like(sec)
    np.divide(2.0 * sec - hi - lo, width, out=big_r, where=width > 0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def select_offers(
    x: np.ndarray, e_send: np.ndarray, e_counter: np.ndarray, selection: Selection = "least_move"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """New positions, offer kind and sender per receiver after one round of offers.

    ``e_send[..., i, j]`` is the sender ``i``'s utility of challenging ``j``; ``e_counter[..., j, i]``
    is the receiver ``j``'s utility of challenging ``i`` back. Returns ``(new_x, kind, sender)``, each
    ``(..., n)``; ``sender`` is -1 where the actor stays.
    """
    n = x.shape[-1]
    xi, xj = x[..., :, None], x[..., None, :]  # sender i along axis -2, receiver j along -1
    a = e_send
    b = np.swapaxes(e_counter, -1, -2)  # b[i, j] = e_counter[j, i]
    valid = (a > 0) & (xi != xj) & ~np.eye(n, dtype=bool)
    conflict = valid & (b > 0) & (b < a)
    comp = valid & (b <= 0) & (-b < a)
    compel = valid & (b < 0) & (-b >= a)
    if selection == "scholz_code":
        compel = np.zeros_like(compel)  # the code's capitulation branch can never be taken
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(comp, np.abs(b / np.where(a == 0, 1.0, a)), 1.0)
    target = np.where(comp, xj + (xi - xj) * frac, xi)
    kind = np.select([conflict, comp, compel], [CONFLICT, COMPROMISE, COMPEL], NO_OFFER)
    move = np.abs(target - xj)
    if selection == "least_move":
        rank = np.select([conflict, comp, compel], [0.0, 1.0, 2.0], np.inf)
        key = rank * (1.0 + move.max(-2, keepdims=True)) + move
    elif selection == "max_eu":
        key = np.where(kind > 0, -a, np.inf)
    elif selection == "scholz_code":
        weight = np.abs(a) + np.abs(b)
        mid = (np.abs(b) * xj + np.abs(a) * xi) / np.where(weight > 0, weight, 1.0)
        key = np.where(conflict, move, np.where(comp, mid, np.inf))
        key = np.where(conflict.any(-2, keepdims=True) & ~conflict, np.inf, key)
    else:
        raise ValueError(f"selection must be 'least_move', 'max_eu' or 'scholz_code', got {selection!r}")
    best = np.argmin(key, axis=-2)  # chosen sender per receiver
    has = np.isfinite(np.take_along_axis(key, best[..., None, :], -2)[..., 0, :])
    new_x = np.where(has, np.take_along_axis(target, best[..., None, :], -2)[..., 0, :], x)
    chosen = np.where(has, np.take_along_axis(kind, best[..., None, :], -2)[..., 0, :], NO_OFFER)
    return new_x, chosen.astype(np.int8), np.where(has, best, -1)


@dataclass(frozen=True)
class RoundState:
    """What one round computed, for inspection and tests (arrays with leading game axes)."""

    median: np.ndarray
    probability: np.ndarray
    risk: np.ndarray
    e_first: np.ndarray
    e_send: np.ndarray
    e_counter: np.ndarray
    new_x: np.ndarray
    kind: np.ndarray
    sender: np.ndarray


def _pair_exponent(r: np.ndarray, along: Literal["row", "column"]) -> np.ndarray:
    n = r.shape[-1]
    shape = r.shape[:-1] + (n, n)
    return np.broadcast_to(r[..., :, None] if along == "row" else r[..., None, :], shape)


def bdm_round(
    x: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    span: np.ndarray,
    *,
    q: float = 1.0,
    t: float | None = None,
    probability: Probability = "paper",
    selection: Selection = "least_move",
    perspective: Perspective = "own",
    salience: SalienceRule = "target",
) -> RoundState:
    """One round of the model for games ``x, s, c`` of shape ``(..., n)`` (see the module docstring)."""
    w = c * s
    n = x.shape[-1]
    mu = weighted_median(x, w)
    ones = np.ones_like(x)
    s_target = np.broadcast_to(s[..., None, :], x.shape + (n,))
    s_own = np.broadcast_to(s[..., :, None], x.shape + (n,))
    if t is None:  # T = 1 where j's expected move to the median would bring it closer to i
        dist = np.abs(x[..., :, None] - x[..., None, :])
        tt: np.ndarray | float = (np.abs(x - mu[..., None])[..., :, None] < dist).astype(float)
    else:
        tt = float(t)
    p1 = win_probability(x, w, probability, ones, span)
    full = q != 1.0
    u1 = basic_utilities(x, mu, None, span, full)
    e_first = expected_utility(p1, u1, s_target, q, tt)
    e_mirror = e_first if salience == "target" else expected_utility(p1, u1, s_own, q, tt)
    r = risk_exponents(e_mirror)
    p2 = win_probability(x, w, probability, r, span) if probability == "scholz_code" else p1
    u_row = basic_utilities(x, mu, _pair_exponent(r, "row"), span, full)
    if perspective == "own":
        u_send = u_row
    elif perspective == "receiver":
        u_send = basic_utilities(x, mu, _pair_exponent(r, "column"), span, full)
    else:
        raise ValueError(f"perspective must be 'own' or 'receiver', got {perspective!r}")
    e_send = expected_utility(p2, u_send, s_target, q, tt)
    e_counter = expected_utility(p2, u_row, s_target if salience == "target" else s_own, q, tt)
    new_x, kind, sender = select_offers(x, e_send, e_counter, selection)
    return RoundState(mu, p1, r, e_first, e_send, e_counter, new_x, kind, sender)


def _reversals(series: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Number of direction changes of each row of ``series`` (steps within ``tol`` ignored)."""
    step = np.diff(series, axis=-1)
    sign = np.where(np.abs(step) > tol[..., None], np.sign(step), 0.0)
    counts = np.zeros(series.shape[:-1], dtype=int)
    last = np.zeros(series.shape[:-1])
    for k in range(sign.shape[-1]):
        cur = sign[..., k]
        counts += (cur != 0) & (last != 0) & (cur != last)
        last = np.where(cur != 0, cur, last)
    return counts


class BDMModel(BaseModel):
    """The BDM expected-utility model, round by round (Scholz, Calbert & Smith 2011).

    Parameters
    ----------
    max_rounds : int
        Round cap.
    tol : float
        Stop when the mean and the median both move less than ``tol`` times the scale width.
    q : float
        Probability ``Q`` that the target keeps its position when not challenged (1.0 as chosen by
        Scholz et al. for the EC example).
    t : float or None
        ``T``; ``None`` sets it per pair (1 where the target's move to the median helps the challenger).
    scale : (float, float) or None
        Ends of the issue scale; ``None`` uses the span of the initial positions (``x_max - x_min``).
    probability, selection, perspective, salience : str
        The paper's rules by default; see the module docstring for the alternatives.

    Attributes
    ----------
    positions_ : ndarray, shape (rounds + 1, n) or (games, rounds + 1, n)
        Positions at the start and after each round (frozen once a game stops).
    means_, medians_ : ndarray
        ``c·s``-weighted mean and weighted median per round.
    outcome_ : float or ndarray
        The forecast: the weighted median when the game stops.
    mean_outcome_ : float or ndarray
        The weighted mean when the game stops.
    n_rounds_ : int or ndarray
        Rounds played until the stop.
    converged_, oscillating_ : bool or ndarray
        Stopped by the tolerance; still reversing direction (mean) at the cap, at least twice.
    amplitude_ : float or ndarray
        Range of the mean over the second half of the rounds played.
    risk_ : ndarray, shape (rounds, n)
        Risk exponents ``r_i`` of each round.
    kinds_, senders_ : ndarray, shape (rounds, n)
        Offer each actor accepted per round (``OFFER_KINDS``) and from whom (-1: none).
    """

    def __init__(
        self,
        *,
        max_rounds: int = 10,
        tol: float = 1e-4,
        q: float = 1.0,
        t: float | None = None,
        scale: tuple[float, float] | None = None,
        probability: Probability = "paper",
        selection: Selection = "least_move",
        perspective: Perspective = "own",
        salience: SalienceRule = "target",
    ) -> None:
        self.max_rounds = max_rounds
        self.tol = tol
        self.q = q
        self.t = t
        self.scale = scale
        self.probability = probability
        self.selection = selection
        self.perspective = perspective
        self.salience = salience

    @classmethod
    def scholz_code(cls, **params: object) -> BDMModel:
        """The rules of Scholz's own code (as replicated by J. McKibben), other parameters as given."""
        return cls(**{**SCHOLZ_CODE_RULES, **params})  # type: ignore[arg-type]

    def _check(self) -> None:
        if int(self.max_rounds) != self.max_rounds or self.max_rounds < 1:
            raise ValueError(f"max_rounds must be a positive integer, got {self.max_rounds!r}")
        if not 0.0 <= self.q <= 1.0 or (self.t is not None and not 0.0 <= self.t <= 1.0):
            raise ValueError("q and t must lie in [0, 1]")
        if self.tol < 0:
            raise ValueError("tol must be >= 0")
        for name, allowed in _CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")

    def fit(self, X: object) -> BDMModel:
        """Play the rounds for every game in ``X`` (vectorised across games); return ``self``."""
        self._check()
        arr, single = validate_x(X)
        blocks = [self._run(arr[i : i + _CHUNK]) for i in range(0, arr.shape[0], _CHUNK)]
        for key in blocks[0]:
            parts = [b[key] for b in blocks]
            if parts[0].ndim > 1:
                width = max(p.shape[1] for p in parts)
                parts = [_pad(p, width, _FILL.get(key)) for p in parts]
            value = np.concatenate(parts)
            setattr(self, f"{key}_", value[0] if single else value)
        if single:
            for key in ("outcome_", "mean_outcome_", "amplitude_"):
                setattr(self, key, float(getattr(self, key)))
            for key in ("converged_", "oscillating_"):
                setattr(self, key, bool(getattr(self, key)))
            self.n_rounds_ = int(vars(self)["n_rounds_"])
        return self

    def _run(self, arr: np.ndarray) -> dict[str, np.ndarray]:
        x, s, c = arr[..., 0].copy(), arr[..., 1], arr[..., 2]
        w = c * s
        games = x.shape[0]
        if self.scale is None:
            span = x.max(-1) - x.min(-1)
        else:
            span = np.full(games, float(self.scale[1]) - float(self.scale[0]))
        span = np.where(span > 0, span, 1.0)
        tol = self.tol * span
        positions, means, medians = [x.copy()], [compromise(x, w)], [weighted_median(x, w)]
        risk, kinds, senders = [], [], []
        stopped = np.zeros(games, dtype=bool)
        n_rounds = np.full(games, int(self.max_rounds))
        n = x.shape[-1]
        for k in range(1, int(self.max_rounds) + 1):
            live = np.flatnonzero(~stopped)  # only games still playing are computed
            state = bdm_round(
                x[live], s[live], c[live], span[live], q=self.q, t=self.t, probability=self.probability,
                selection=self.selection, perspective=self.perspective, salience=self.salience,
            )  # fmt: skip
            x[live] = state.new_x
            risk.append(np.full((games, n), np.nan))
            risk[-1][live] = state.risk
            kinds.append(np.full((games, n), NO_OFFER, dtype=np.int8))
            kinds[-1][live] = state.kind
            senders.append(np.full((games, n), -1))
            senders[-1][live] = state.sender
            positions.append(x.copy())
            means.append(compromise(x, w))
            medians.append(weighted_median(x, w))
            calm = (np.abs(means[-1] - means[-2]) <= tol) & (np.abs(medians[-1] - medians[-2]) <= tol)
            newly = calm & ~stopped
            n_rounds[newly] = k
            stopped |= calm
            if stopped.all():
                break
        mean_arr, median_arr = np.stack(means, 1), np.stack(medians, 1)
        idx = np.arange(games)
        half = mean_arr[:, (mean_arr.shape[1] - 1) // 2 :]
        return {
            "positions": np.stack(positions, 1),
            "means": mean_arr,
            "medians": median_arr,
            "outcome": median_arr[idx, n_rounds.clip(max=mean_arr.shape[1] - 1)],
            "mean_outcome": mean_arr[idx, n_rounds.clip(max=mean_arr.shape[1] - 1)],
            "n_rounds": n_rounds,
            "converged": stopped,
            "oscillating": ~stopped & (_reversals(mean_arr, tol) >= 2),
            "amplitude": half.max(1) - half.min(1),
            "risk": np.stack(risk, 1),
            "kinds": np.stack(kinds, 1),
            "senders": np.stack(senders, 1),
        }


#: what fills the rounds after a block of games stopped early (``None``: repeat the last round)
_FILL: dict[str, float] = {"risk": np.nan, "kinds": NO_OFFER, "senders": -1}


def _pad(a: np.ndarray, width: int, fill: float | None) -> np.ndarray:
    """Pad the round axis (axis 1) of a block that stopped before ``width`` rounds."""
    if a.shape[1] >= width:
        return a
    extra = np.repeat(a[:, -1:], width - a.shape[1], axis=1)
    if fill is not None:
        extra = np.full_like(extra, fill)
    return np.concatenate([a, extra], 1)
