"""Détente: a peace-process observatory for border conflicts.

Names are imported on first use, so that ``import detente.cli`` (and ``detente --help``) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["EVENT_SCHEMA", "IngestReport", "Store"]
__version__ = "0.1.0"

_LAZY = {"EVENT_SCHEMA": "schema", "IngestReport": "store", "Store": "store"}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_LAZY[name]}", __name__), name)
