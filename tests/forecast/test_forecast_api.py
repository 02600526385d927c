"""The package's public names, and a command module that starts without the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

from detente import forecast


def test_every_public_name_resolves() -> None:
    assert forecast.__all__ == sorted(forecast.__all__, key=lambda n: (not n.isupper(), n[0].islower(), n))
    for name in forecast.__all__:
        assert getattr(forecast, name) is not None
    assert forecast.load_scenario.__module__ == "detente.forecast.scenarios"


def test_the_commands_import_no_model_library() -> None:
    code = (
        "import sys, detente.cli.models; "
        "print(sorted(m for m in ('statsmodels', 'lightgbm', 'scipy', 'altair', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
