"""Détente: a peace-process observatory for border conflicts."""

from __future__ import annotations

from .schema import EVENT_SCHEMA
from .store import IngestReport, Store

__all__ = ["EVENT_SCHEMA", "IngestReport", "Store"]
__version__ = "0.1.0"
