"""Readers for event-data formats, format detection and downloads."""

from __future__ import annotations

from .base import Reader, ReadResult, SourceError
from .detect import detect, known_formats, reader_for

__all__ = ["ReadResult", "Reader", "SourceError", "detect", "known_formats", "reader_for"]
