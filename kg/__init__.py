"""aikg's graph library: model, store, RDF mapping, analytics, visualization, CLI."""

from aikg import __version__  # noqa: F401 - the one version, written in aikg/__init__.py
