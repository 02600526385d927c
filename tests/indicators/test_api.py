"""The public surface of the indicator and analysis packages, and the lazy heavy imports."""

from __future__ import annotations

import importlib
import subprocess
import sys
from types import ModuleType

import pytest

PUBLIC = {
    "detente.indicators": [
        "TensionWeights", "cell_events", "components_expr", "detect_phases", "dyadic_series", "find_incidents",
        "find_phases", "index_events", "military_elements", "military_events", "phase_changes", "series_expr",
        "tension_index",
    ],
    "detente.analysis": [
        "Claim", "ClaimResult", "DailyCounts", "Estimate", "EventStudy", "VarResult", "anchor_set", "csis_2016",
        "default_claims", "event_study", "fit_var", "provocation_counts", "reciprocity_var", "run_claims",
    ],
}  # fmt: skip


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_all_is_pinned_and_every_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == PUBLIC[package]
    for name in module.__all__:
        assert not isinstance(getattr(module, name), ModuleType), name  # no clash with a submodule
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018


def test_commands_import_no_heavy_library() -> None:
    code = (
        "import sys, detente.cli.indicators, detente.cli.analyze; "
        "print(sorted(m for m in ('statsmodels', 'ruptures', 'altair', 'vl_convert', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
