"""Multi-actor bargaining models: who wants what, how much they care, what they can bring to bear.

- :mod:`.models`: compromise model (weighted mean), weighted median, asymmetric Nash bargaining.
- :mod:`.bdm`: Bueno de Mesquita's expected-utility model as specified by Scholz, Calbert & Smith
  (2011), round by round, with the published code's rules as options.
- :mod:`.montecarlo`: Monte Carlo over input ranges and the inputs that move the outcome most.
- :mod:`.inputs`: YAML issue sets and flat CSV tables, validated; the shipped Korean set
  (``korea()``) and BDM's EC car-emission example (``ec_emissions()``).
- :mod:`.solution`: all models on an issue set, as tables; ``detente bargain``: :mod:`detente.cli.models`.
- :mod:`.checks`: the estimator-contract check; :mod:`.reference`: a plain-Python BDM used as the
  tests' oracle and the benchmark's baseline; :mod:`.benchmark`: the speed benchmark.

Every model follows the scikit-learn estimator contract (:mod:`.estimator`); see
``docs/bargaining.md``.
"""

from __future__ import annotations

from .bdm import BDMModel
from .checks import check_estimator
from .estimator import NotFittedError
from .inputs import BargainingInputError, Estimate, IssueSet, IssueSpec, Source, ec_emissions, korea, load
from .models import CompromiseModel, NashBargainingModel, WeightedMedianModel
from .montecarlo import MonteCarlo
from .solution import MODEL_NAMES, Solution, solve

__all__ = [
    "MODEL_NAMES",
    "BDMModel",
    "BargainingInputError",
    "CompromiseModel",
    "Estimate",
    "IssueSet",
    "IssueSpec",
    "MonteCarlo",
    "NashBargainingModel",
    "NotFittedError",
    "Solution",
    "Source",
    "WeightedMedianModel",
    "check_estimator",
    "ec_emissions",
    "korea",
    "load",
    "solve",
]
