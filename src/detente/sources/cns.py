"""Placeholder until the cns reader lands."""

READERS: list = []
