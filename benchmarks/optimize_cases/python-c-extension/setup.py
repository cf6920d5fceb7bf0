"""The C extension (setuptools reads the rest from pyproject.toml)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("fastsum._speedups", ["fastsum/_speedups.c"])])
