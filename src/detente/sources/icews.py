"""Placeholder until the icews reader lands."""

READERS: list = []
