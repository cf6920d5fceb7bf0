"""dockgen's built-in rule pack: one module per rule, discovered by walking this package.

It is registered through the ``dockgen.rules`` entry point, exactly as a third-party pack would be.
"""
