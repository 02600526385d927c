"""The scikit-learn estimator contract, once, for the bargaining models and the forecasters.

The constructor stores its keyword arguments unchanged and does nothing else; ``fit`` stores what
it learns in attributes whose names end in ``_`` and returns ``self``. ``get_params(deep=True)`` and
``set_params`` (with ``component__name`` for nested estimators) work from the constructor signature,
as in scikit-learn, so ``sklearn.base.clone`` clones these estimators and
``sklearn.utils.validation.check_is_fitted`` sees whether they are fitted, without depending on
scikit-learn. Reading a learned attribute before ``fit`` raises :class:`NotFittedError`.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

__all__ = ["BaseEstimator", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """A result was read before ``fit`` was called (scikit-learn's exception of the same name and bases)."""


class BaseEstimator:
    """Parameter handling, ``repr`` and the fitted check; subclasses define ``__init__`` and ``fit``.

    >>> class Mean(BaseEstimator):
    ...     def __init__(self, *, shift: float = 0.0) -> None:
    ...         self.shift = shift
    ...     def fit(self, x: list[float]) -> "Mean":
    ...         self.mean_ = sum(x) / len(x) + self.shift
    ...         return self
    >>> Mean(shift=1.0).set_params(shift=2.0)
    Mean(shift=2.0)
    >>> Mean().mean_
    Traceback (most recent call last):
    detente._estimator.NotFittedError: Mean is not fitted yet: call fit(X) before reading mean_
    >>> Mean().fit([1.0, 3.0]).mean_
    2.0
    """

    #: how to fit, as the not-fitted message says it
    _fit_call: ClassVar[str] = "fit(X)"

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        return sorted(p.name for p in sig.parameters.values() if p.name != "self" and p.kind in kinds)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments by name; ``deep``: also ``name__param`` of nested estimators."""
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and isinstance(value, BaseEstimator):
                out.update((f"{name}__{k}", v) for k, v in value.get_params(deep=True).items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> BaseEstimator:
        """Change constructor arguments (``name__param``: of a nested estimator); unknown names raise ``ValueError``."""
        valid = self._param_names()
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(f"{type(self).__name__} has no parameter {name!r}; valid: {', '.join(valid)}")
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def _check_fitted(self, attribute: str) -> None:
        """Raise :class:`NotFittedError` unless ``fit`` has set ``attribute``."""
        if attribute not in vars(self):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet: call {self._fit_call}")

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's estimator tags (asked by ``clone`` and ``check_is_fitted``; only sklearn calls this)."""
        from sklearn.utils import Tags, TargetTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=False))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params(deep=False).items())
        return f"{type(self).__name__}({args})"

    def __getattr__(self, name: str) -> Any:
        # only reached when normal lookup fails: a learned attribute (``*_``) before ``fit``
        if name.endswith("_") and not name.startswith("__"):
            raise NotFittedError(
                f"{type(self).__name__} is not fitted yet: call {self._fit_call} before reading {name}"
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
