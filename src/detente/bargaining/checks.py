"""A small in-house conformance check for the estimator contract, in the spirit of scikit-learn's ``check_estimator``.

>>> import numpy as np
>>> from detente.bargaining.models import CompromiseModel
>>> check_estimator(CompromiseModel(), np.array([[0.0, 1.0, 1.0], [10.0, 1.0, 1.0]]))
['init_stores_params', 'no_learned_state_before_fit', 'unfitted_raises', 'fit_returns_self',
 'params_unchanged_by_fit', 'deterministic_refit', 'pickle_round_trip', 'clone_equivalent', 'set_params']
"""

from __future__ import annotations

import inspect
import pickle
from typing import Any

import numpy as np

from .estimator import BaseModel, NotFittedError

__all__ = ["check_estimator"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f")
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, BaseModel) and isinstance(b, BaseModel):
        return type(a) is type(b) and _same(_params(a), _params(b))
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return bool(a == b)


def _params(est: BaseModel) -> dict[str, Any]:
    return est.get_params(deep=False)


def _learned(est: BaseModel) -> dict[str, Any]:
    return {k: v for k, v in vars(est).items() if k.endswith("_") and not k.startswith("_")}


def _check(ok: bool, name: str, est: BaseModel, detail: str = "") -> str:
    if not ok:
        raise AssertionError(f"{type(est).__name__} fails {name}{': ' + detail if detail else ''}")
    return name


def check_estimator(est: BaseModel, *fit_args: Any) -> list[str]:
    """Run the contract checks on an unfitted ``est`` with ``est.fit(*fit_args)``; return the names passed.

    Raises ``AssertionError`` naming the first check that fails.
    """
    passed = []
    params = [p.name for p in inspect.signature(type(est).__init__).parameters.values() if p.name != "self"]
    stored = all(name in vars(est) for name in params) and set(_params(est)) == set(params)
    passed.append(
        _check(stored, "init_stores_params", est, "every constructor argument must be stored under its own name")
    )
    passed.append(_check(not _learned(est), "no_learned_state_before_fit", est, str(sorted(_learned(est)))))
    before = {k: v for k, v in _params(est).items()}
    probe = type(est)(**_params(est))
    learned_names = sorted(_learned(probe.fit(*fit_args)))
    raised = []
    for name in learned_names:
        try:
            getattr(est, name)
        except NotFittedError:
            raised.append(name)
    passed.append(
        _check(
            bool(learned_names) and raised == learned_names,
            "unfitted_raises",
            est,
            f"learned {learned_names}, NotFittedError for {raised}",
        )
    )
    passed.append(_check(est.fit(*fit_args) is est, "fit_returns_self", est))
    after = _params(est)
    passed.append(
        _check(all(after[k] is before[k] or _same(after[k], before[k]) for k in before), "params_unchanged_by_fit", est)
    )
    first = _learned(est)
    again = _learned(type(est)(**_params(est)).fit(*fit_args))
    passed.append(
        _check(
            first.keys() == again.keys() and all(_same(first[k], again[k]) for k in first), "deterministic_refit", est
        )
    )
    copy = pickle.loads(pickle.dumps(est))
    passed.append(
        _check(_same(_learned(copy), first) and _same(_params(copy), _params(est)), "pickle_round_trip", est)
    )
    clone = type(est)(**_params(est))
    passed.append(_check(_same(_params(clone), _params(est)) and not _learned(clone), "clone_equivalent", est))
    name = next(iter(before))
    try:
        est.set_params(__no_such_parameter__=1)
        unknown_rejected = False
    except ValueError:
        unknown_rejected = True
    est.set_params(**{name: before[name]})
    passed.append(_check(unknown_rejected and _params(est)[name] is before[name], "set_params", est))
    return passed
