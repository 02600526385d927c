"""Placeholder until the gdelt reader lands."""

READERS: list = []
