"""invoke tasks for the examples, built from dockgen's ready-made collection.

cd examples
invoke --list
invoke images.render --check       # the rendered files are fresh
invoke images.lint                 # lint the monorepo's declared images
invoke images.plan --version 1.0.0
invoke images.build --push --version 1.0.0
"""

from invoke.collection import Collection

from dockgen.integrations.invoke import make_collection

ns = Collection()
ns.add_collection(make_collection(file="monorepo/build_images.py", jobs=2), name="images")
