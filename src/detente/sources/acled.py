"""Placeholder until the acled reader lands."""

READERS: list = []
