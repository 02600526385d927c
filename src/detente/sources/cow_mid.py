"""Placeholder until the cow_mid reader lands."""

READERS: list = []
