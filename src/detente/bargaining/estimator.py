"""The scikit-learn-style estimator contract shared by every bargaining model.

The constructor stores its keyword arguments unchanged and does nothing else; ``fit`` validates
the input, computes, stores the results in attributes whose names end in ``_`` and returns
``self``. Reading a result before ``fit`` raises :class:`NotFittedError`. The base class is
:class:`detente._estimator.BaseEstimator`, shared with the forecasters (``sklearn.base.clone`` clones
both).

The input of every model is ``X``: an array of shape ``(n_actors, 3)`` for one issue, or
``(n_games, n_actors, 3)`` for many independent games solved at once, whose columns are

- ``position`` on the issue scale,
- ``salience`` in ``[0, 1]`` (the probability that the actor resists a challenge, in BDM),
- ``capability``, any non-negative number (only ratios matter).
"""

from __future__ import annotations

import numpy as np

from .._estimator import BaseEstimator, NotFittedError

__all__ = ["BaseModel", "NotFittedError", "validate_x"]


#: the shared estimator base (:mod:`detente._estimator`) under the name the bargaining models use
BaseModel = BaseEstimator


def validate_x(X: object) -> tuple[np.ndarray, bool]:
    """``X`` as a float array of shape ``(n_games, n_actors, 3)`` and whether it was a single game.

    Raises ``ValueError`` naming the problem (shape, non-finite value, salience outside [0, 1],
    negative capability, fewer than two actors, no weight at all).
    """
    arr = np.asarray(X, dtype=float)
    shape = arr.shape
    single = arr.ndim == 2
    if single:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[-1] != 3:
        raise ValueError(f"X must have shape (n_actors, 3) or (n_games, n_actors, 3), got {shape}")
    if arr.shape[1] < 2:
        raise ValueError(f"a bargaining game needs at least two actors, got {arr.shape[1]}")
    if not np.isfinite(arr).all():
        raise ValueError("X has a missing or infinite value")
    sal, cap = arr[..., 1], arr[..., 2]
    if (sal < 0).any() or (sal > 1).any():
        raise ValueError("salience (column 1) must lie in [0, 1]")
    if (cap < 0).any():
        raise ValueError("capability (column 2) must be >= 0")
    if ((sal * cap).sum(-1) <= 0).any():
        raise ValueError("every game needs at least one actor with salience > 0 and capability > 0")
    return arr, single
