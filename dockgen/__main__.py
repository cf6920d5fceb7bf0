from dockgen.cli import entry

entry()
