"""The extraction pipeline: spaCy plus our components, and the :class:`Extractor` facade.

Component order is declared once, in :func:`build_nlp`:

    tok2vec, tagger, aikg_sentences, parser, attribute_ruler, lemmatizer, aikg_prefixes,
    aikg_gazetteer (EntityRuler), ner, aikg_entities, aikg_coref, aikg_relations

Components keep their results in ``Doc._`` extensions as plain lists and dicts, so docs
survive the byte serialization of ``nlp.pipe(n_process=2)``; the Extractor turns them
into :mod:`kg.model` records.

The modules, each with one job:

- :mod:`ingest.pipeline.components`: our spaCy components, their factories and the
  ``Doc._`` extensions.
- :mod:`ingest.pipeline.build`: loading the English model, :func:`build_nlp`.
- :mod:`ingest.pipeline.text`: masking tickers and link markers, cutting long texts,
  batching by characters.
- :mod:`ingest.pipeline.extractor`: the :class:`Extractor` and its records.

Callers import from :mod:`ingest.pipeline` itself; the names below are its public face.
"""

from __future__ import annotations

from ingest.pipeline.build import MODEL_NAME, MODEL_REQUIREMENT, build_nlp, load_model
from ingest.pipeline.components import RULES_ONLY
from ingest.pipeline.extractor import BATCH_CHARS, CHUNK_CHARS, EXTRACTOR_VERSION, Extractor
from ingest.pipeline.text import mask_artifacts, split_text

__all__ = [
    "BATCH_CHARS",
    "CHUNK_CHARS",
    "EXTRACTOR_VERSION",
    "MODEL_NAME",
    "MODEL_REQUIREMENT",
    "RULES_ONLY",
    "Extractor",
    "build_nlp",
    "load_model",
    "mask_artifacts",
    "split_text",
]
