"""Placeholder until the pax reader lands."""

READERS: list = []
