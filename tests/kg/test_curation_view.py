"""The "Rejected" group of an entity page (kg.curation_view) on a real store on disk."""

from __future__ import annotations

import time

from kg import curation
from kg.curation_view import rejected_relations
from kg.loader import ingest
from kg.model import Article, Entity
from kg.store import LocalStore
from tests.fakes import MS, NV, OA, fake_extract, investors

MSAI = Entity("Microsoft AI", "Organization")
TABLE = {
    "u1": [(MS, "investsIn", OA), (NV, "investsIn", OA)],
    "u2": [(MS, "investsIn", OA)],
    "u3": [(MS, "investsIn", OA)],
    "u4": [(MSAI, "investsIn", OA)],
}
ARTS = {u: Article(f"Article {u}: Microsoft and OpenAI.", url=u) for u in TABLE}


def test_a_rejected_relation_says_who_when_why_and_new_sources_since(tmp_path):
    with LocalStore(tmp_path / "s") as store:
        ingest(store, [ARTS["u1"], ARTS["u2"]], fake_extract(TABLE))
        assert rejected_relations(store, "microsoft") == []  # no operation yet
        change = curation.verdict(
            store,
            "Reject",
            subject="Microsoft",
            predicate="investsIn",
            obj="OpenAI",
            by="ada",
            reason="a loan, not a stake",
        )
        time.sleep(1.1)  # ingest times are kept to the second
        ingest(store, [ARTS["u3"]], fake_extract(TABLE))  # a new source states it again
        assert investors(store) == [("nvidia", "openai")]
        rows = rejected_relations(store, "microsoft")
        assert len(rows) == 1
        row = rows[0]
        assert (row["subject"]["label"], row["predicate"], row["object"]["label"]) == (
            "Microsoft",
            "investsIn",
            "OpenAI",
        )
        assert (row["by"], row["reason"], row["created"]) == (
            "ada",
            "a loan, not a stake",
            change.operation.created[:10],
        )
        assert (row["statements"], row["sources"], row["new_sources_since"]) == (3, 3, 1)
        assert rejected_relations(store, "openai") == rows  # the other end lists it too
        assert rejected_relations(store, "nvidia") == []


def test_accept_undo_and_merge_change_the_list(tmp_path):
    with LocalStore(tmp_path / "s") as store:
        ingest(store, [ARTS["u1"], ARTS["u4"]], fake_extract(TABLE))
        reject = curation.verdict(store, "Reject", subject="Microsoft AI", predicate="investsIn", obj="OpenAI")
        assert [r["subject"]["slug"] for r in rejected_relations(store, "microsoft-ai")] == ["microsoft-ai"]
        curation.merge(store, "Microsoft AI", "Microsoft")
        # Merged in: the rejection now shows on the page of the entity it became.
        assert [r["subject"]["slug"] for r in rejected_relations(store, "microsoft")] == ["microsoft"]
        accept = curation.verdict(store, "Accept", subject="Microsoft", predicate="investsIn", obj="OpenAI")
        assert rejected_relations(store, "microsoft") == []
        curation.undo(store, accept.operation.iri.value)
        assert len(rejected_relations(store, "microsoft")) == 1
        curation.undo(store, reject.operation.iri.value)
        assert rejected_relations(store, "microsoft") == []
