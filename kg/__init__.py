"""aikg's graph library: model, store, RDF mapping, analytics, visualization, CLI."""

__version__ = "0.1.0"
