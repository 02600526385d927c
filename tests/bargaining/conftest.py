"""Shared inputs: BDM's EC car-emission example (Scholz et al. 2011, Table 1) and the Korean set."""

from __future__ import annotations

import numpy as np
import pytest

from detente.bargaining import IssueSet, ec_emissions, korea


@pytest.fixture(scope="session")
def ec() -> np.ndarray:
    """X of the EC example: position (years), salience (0-1), capability; 10 actors."""
    return ec_emissions().matrix("emissions")


@pytest.fixture(scope="session")
def korea_set() -> IssueSet:
    return korea()
