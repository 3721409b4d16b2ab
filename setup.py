"""What pyproject.toml cannot say: ship examples/articles inside the package.

The sample articles stay where a reader of the checkout finds them (examples/articles);
in a wheel they become ``aikg/examples``, which ``aikg demo`` reads when there is no
checkout around it (see ``aikg.ingest_run.sample_articles_dir``). Everything else about
the build is declared in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

# Every package and subpackage of ours (api.routes included), and the data directories
# (api/static, kg/queries, ...) as the namespace packages Python sees them as; plus the
# one mapped from outside the package tree. pyproject.toml lists the data files.
PACKAGES = find_namespace_packages(
    include=["aikg", "aikg.*", "kg", "kg.*", "ingest", "ingest.*", "api", "api.*", "ontology", "ontology.*"],
    exclude=["*.__pycache__", "*.__pycache__.*"],
)

setup(
    packages=[*PACKAGES, "aikg.examples"],
    package_dir={"aikg.examples": "examples/articles"},
)
