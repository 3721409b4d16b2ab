"""The pipeline as others call it: component order, Extractor, streaming, the extract command."""

import json

import pytest

from ingest.pipeline import EXTRACTOR_VERSION, Extractor, build_nlp
from kg.model import Article

TEXTS = [
    "Microsoft will invest $10 billion in OpenAI, the companies said on Monday.",
    "Amazon will invest up to $4 billion in Anthropic. The startup named Amazon Web Services its primary cloud provider.",
    "Nobody said anything about anyone.",
    "GitHub was acquired by Microsoft in 2018. Its chief executive Nat Friedman welcomed the deal.",
]


def test_components_run_in_declared_order(nlp):
    names = nlp.pipe_names
    assert names.index("aikg_sentences") < names.index("parser")
    assert names.index("aikg_gazetteer") < names.index("ner") < names.index("aikg_entities")
    assert names.index("aikg_entities") < names.index("aikg_coref") < names.index("aikg_relations")


def test_extract_returns_records_with_version_and_offsets(extractor):
    art = Article(text=TEXTS[0], url="https://example.org/a")
    ex = extractor.extract(art)
    assert ex.extractor_version == EXTRACTOR_VERSION
    assert ex.article is art
    (rel,) = [r for r in ex.relations if r.predicate == "investsIn"]
    assert (rel.subject.name, rel.object.name) == ("Microsoft", "OpenAI")
    assert art.text[rel.start : rel.end].strip() == rel.sentence


def test_text_without_entities_yields_nothing(extractor):
    ex = extractor.extract(Article(text=TEXTS[2]))
    assert ex.relations == () and ex.entities == ()


def test_extract_many_streams_in_order(extractor):
    arts = [Article(text=t) for t in TEXTS]
    out = list(extractor.extract_many(iter(arts), batch_size=2))
    assert [e.article.id for e in out] == [a.id for a in arts]
    assert out[0].relations == extractor.extract(arts[0]).relations


@pytest.mark.slow
def test_two_processes_give_the_same_output_as_one(extractor):
    arts = [Article(text=t) for t in TEXTS * 3]
    one = [e.to_dict() for e in extractor.extract_many(arts, n_process=1, batch_size=2)]
    two = [e.to_dict() for e in extractor.extract_many(arts, n_process=2, batch_size=2)]
    assert one == two


def test_custom_gazetteer_changes_what_is_recognized(tmp_path):
    gaz = tmp_path / "gaz.jsonl"
    gaz.write_text(
        json.dumps({"name": "Zorblax Dynamics", "type": "Organization", "wikidata": "Q1", "aliases": ["Zorblax"]})
        + "\n",
        encoding="utf-8",
    )
    ex = Extractor(build_nlp(gazetteer_path=gaz)).extract(Article(text="Zorblax released a report."))
    assert [(e.name, e.wikidata) for e in ex.entities] == [("Zorblax Dynamics", "Q1")]


def test_extract_command_prints_one_json_line_per_relation(tmp_path, capsys, extractor, monkeypatch):
    import typer

    from aikg import cli_extract as commands
    from ingest import pipeline

    monkeypatch.setattr(pipeline, "Extractor", lambda: extractor)
    f = tmp_path / "a.txt"
    f.write_text(TEXTS[0] + "\n", encoding="utf-8")
    commands.extract([str(f), str(tmp_path / "missing.txt")], date="2024-01-02")
    out, err = capsys.readouterr()
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines and {
        "subject",
        "subject_type",
        "predicate",
        "object",
        "object_type",
        "confidence",
        "evidence",
        "source",
        "subject_id",
        "object_id",
    } <= set(lines[0])
    assert lines[0]["subject_id"] == "Q2283" and lines[0]["source"].endswith("a.txt")
    assert lines[0]["published"] == "2024-01-02"
    assert "skipped" in err and "missing.txt" in err
    with pytest.raises(typer.Exit) as bad:
        commands.extract([str(f)], date="2024-13-01")
    assert bad.value.exit_code == 2
    with pytest.raises(typer.Exit) as none:
        commands.extract([str(tmp_path / "missing.txt")])
    assert none.value.exit_code == 2  # nothing could be read: bad input


def test_long_article_is_read_in_pieces_with_whole_article_offsets(extractor, monkeypatch):
    from ingest.pipeline import extractor as extractor_module

    monkeypatch.setattr(extractor_module, "CHUNK_CHARS", 200)
    para = "Filler text about the weather and nothing else at all. " * 3
    text = para + "\n\n" + para + "\n\nMicrosoft invested in OpenAI.\n\n" + para
    ex = extractor.extract(Article(text=text))
    [rel] = [r for r in ex.relations if r.predicate == "investsIn"]
    assert text[rel.start : rel.end].strip() == "Microsoft invested in OpenAI."


def test_split_text_cuts_at_paragraphs_and_covers_the_text():
    from ingest.pipeline import split_text

    text = ("One sentence here. Another one there.\n\n" * 30) + "x" * 50
    spans = split_text(text, 120)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(b - a <= 120 for a, b in spans)
    assert all(text[a:b].endswith("\n\n") for a, b in spans[:-1])
