"""Placeholder until the ucdp reader lands."""

READERS: list = []
