"""Placeholder until the csis reader lands."""

READERS: list = []
