"""Tests of detente.api (the REST API, its limits and errors)."""
