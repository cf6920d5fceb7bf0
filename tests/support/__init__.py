"""Helpers shared by the test-suite (local infrastructure addresses, availability checks)."""
