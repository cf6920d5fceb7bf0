"""Sums of squares, computed by a small C extension."""

from fastsum._speedups import sum_of_squares

__all__ = ["sum_of_squares"]
