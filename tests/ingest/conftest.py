"""Fixtures of the extraction tests: the spaCy pipeline is built once per session."""

import pytest

from kg.model import Article


@pytest.fixture(scope="session")
def nlp():
    from ingest.pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def extractor(nlp):
    from ingest.pipeline import Extractor

    return Extractor(nlp)


@pytest.fixture(scope="session")
def triples(extractor):
    """Return a function: text -> set of (subject, predicate, object) asserted in it."""

    def run(text: str, *, include_hedged: bool = False) -> set[tuple[str, str, str]]:
        ex = extractor.extract(Article(text=text))
        return {(r.subject.name, r.predicate, r.object.name) for r in ex.relations if include_hedged or not r.hedged}

    return run


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline with the hand-written rules alone (no trained model): the rules' own tests."""
    from ingest.pipeline import RULES_ONLY, build_nlp

    return build_nlp(relation_model=RULES_ONLY)


@pytest.fixture(scope="session")
def rules_triples(rules_nlp):
    """Like ``triples``, with the rules alone."""
    from ingest.pipeline import Extractor

    extractor = Extractor(rules_nlp)

    def run(text: str, *, include_hedged: bool = False) -> set[tuple[str, str, str]]:
        ex = extractor.extract(Article(text=text))
        return {(r.subject.name, r.predicate, r.object.name) for r in ex.relations if include_hedged or not r.hedged}

    return run
