"""CLI subcommands, one module each, discovered by walking this package.

A command module defines ``NAME`` (the subcommand), ``HELP`` (one line), ``configure(parser)`` to add its
arguments, and ``run(args, ctx) -> int``. ``ctx`` is a :class:`dockgen.cli.Context` carrying the images declared
by ``build_images.py`` (loaded lazily) and the output streams.
"""
