"""The runnable examples in the package's docstrings stay true."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from detente.bargaining import bdm, checks, models, montecarlo, solution


@pytest.mark.parametrize("module", [bdm, checks, models, montecarlo, solution], ids=lambda m: m.__name__)
def test_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
