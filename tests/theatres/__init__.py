"""Tests of detente.theatres (issue 10)."""
