"""Reading shell text the way a Dockerfile reader needs it.

* :mod:`dockgen.shell.syntax` -- the tokenizer and simple commands (also used by the renderer's layout);
* :mod:`dockgen.shell.run` -- what a RUN instruction executes;
* :mod:`dockgen.shell.argv` -- flags, subcommands and operands of one command;
* :mod:`dockgen.shell.packages` -- package managers and their install commands.
"""
