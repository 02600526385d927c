"""The scikit-learn-style estimator contract shared by every bargaining model.

The constructor stores its keyword arguments unchanged and does nothing else; ``fit`` validates
the input, computes, stores the results in attributes whose names end in ``_`` and returns
``self``. Reading a result before ``fit`` raises :class:`NotFittedError`. ``get_params`` and
``set_params`` work from the constructor signature, as in scikit-learn, without
depending on it.

The input of every model is ``X``: an array of shape ``(n_actors, 3)`` for one issue, or
``(n_games, n_actors, 3)`` for many independent games solved at once, whose columns are

- ``position`` on the issue scale,
- ``salience`` in ``[0, 1]`` (the probability that the actor resists a challenge, in BDM),
- ``capability``, any non-negative number (only ratios matter).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

__all__ = ["BaseModel", "NotFittedError", "validate_x"]


class NotFittedError(ValueError, AttributeError):
    """A result was read before ``fit`` was called (scikit-learn's exception of the same name)."""


class BaseModel:
    """Parameter handling and the fitted check; subclasses define ``__init__`` and ``fit``."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        return sorted(p.name for p in sig.parameters.values() if p.name != "self" and p.kind in kinds)

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, by name."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> BaseModel:
        """Change constructor arguments; unknown names raise ``ValueError``."""
        valid = set(self._param_names())
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {name!r}; valid: {sorted(valid)}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __getattr__(self, name: str) -> Any:
        # only reached when normal lookup fails: a learned attribute (``*_``) before ``fit``
        if name.endswith("_") and not name.startswith("__"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet: call fit(X) before reading {name}")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


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
