"""Article readers, fetching and the NLP pipeline: text to entities to relations.

Owns: the readers (files, stdin, URLs and feeds), the spaCy pipeline and the relation
extraction, which turn text into :class:`kg.model.Article` and
:class:`kg.model.Extraction` records.

May import: :mod:`kg`'s model, errors and namespaces (the records it produces), and
:mod:`ontology`; never the store, :mod:`api` or :mod:`aikg`.
"""
