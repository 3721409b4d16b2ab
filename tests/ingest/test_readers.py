"""The readers turn every supported format into Articles and report bad input."""

from __future__ import annotations

import inspect
import io
import json
import logging
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from ingest.readers import (
    FORMATS,
    SUPPORTED_EXTENSIONS,
    ReadFailure,
    iter_articles,
    parse_date,
    read,
    read_bytes,
    read_paths,
    sniff_format,
    strip_markdown,
)
from kg.model import Article

DATA = Path(__file__).parent / "data" / "readers"

LONG_TEXT = (
    "OpenAI and Microsoft extended their partnership with a multiyear, "
    "multibillion-dollar investment announced on Monday."
)


def read_all(*paths, **kw) -> list:
    return list(read_paths([str(p) for p in paths], **kw))


def only_article(items) -> Article:
    items = list(items)
    assert [type(i) for i in items] == [Article], items
    return items[0]


# ------------------------------------------------------------------------ formats


def test_plain_text_is_read_whole_without_title_or_date():
    a = only_article(read_all(DATA / "plain.txt"))
    assert a.text.startswith("Anthropic said on Tuesday that Amazon")
    assert "Trainium chips designed by Amazon." in a.text
    assert a.title is None and a.url is None and a.published is None
    assert a.source == str(DATA / "plain.txt")


def test_plain_text_takes_the_default_date():
    a = only_article(read_all(DATA / "plain.txt", default_published=date(2024, 11, 22)))
    assert a.published == date(2024, 11, 22)


def test_markdown_front_matter_and_syntax_stripped():
    a = only_article(read_all(DATA / "article.md"))
    assert a.title == "Mistral AI signs distribution deal with Microsoft"
    assert a.url == "https://news.example.org/2024/02/26/mistral-microsoft"
    assert a.published == date(2024, 2, 26)
    # Link targets, images, emphasis, heading and bullet markers are gone...
    for residue in (
        "](",
        "https://azure",
        "mensch.jpg",
        "**",
        "__",
        "# ",
        "- Mistral",
        "[prev]",
        "> Microsoft",
        "Arthur Mensch on stage",
        "tags:",
    ):
        assert residue not in a.text, residue
    # ...their text stays, wrapped paragraph lines are joined, code is kept as text.
    assert (
        "Paris-based Mistral AI said its flagship model, Mistral Large, will be sold "
        "through Azure as part of a multiyear partnership."
    ) in a.text
    assert "Microsoft will also take a small stake in the startup" in a.text
    assert "Timothée Lacroix" in a.text
    assert 'model = "mistral-large-latest"' in a.text
    assert "Read more in our earlier coverage of the company." in a.text


def test_markdown_date_key_and_heading_as_title(tmp_path):
    p = tmp_path / "note.markdown"
    p.write_text(
        "---\ndate: March 11, 2025\n---\n## OpenAI ships an agents SDK\n\n" + LONG_TEXT + "\n", encoding="utf-8"
    )
    a = only_article(read_all(p))
    assert a.title == "OpenAI ships an agents SDK"
    assert a.published == date(2025, 3, 11)


@pytest.mark.parametrize(
    "md, expected",
    [
        ("See [the filing](https://sec.example/x) now.", "See the filing now."),
        ("![logo](a.png)Nvidia *rose* and **fell**.", "Nvidia rose and fell."),
        ("Keep snake_case_names and `inline code`.", "Keep snake_case_names and inline code."),
        ("A _light_ touch, ~~struck~~ text.", "A light touch, struck text."),
        ("Title\n=====\nBody line", "Title\nBody line"),
    ],
)
def test_strip_markdown_inline(md, expected):
    assert strip_markdown(md)[0] == expected


def test_html_main_text_metadata_and_no_boilerplate():
    a = only_article(read_all(DATA / "article.html"))
    assert a.title == "Nvidia joins xAI's latest funding round"
    assert a.url == "https://news.example.org/2024/12/23/nvidia-xai"
    assert a.published == date(2024, 12, 23)
    assert "has raised $6 billion in a new round of funding" in a.text
    assert "Andreessen Horowitz, Sequoia Capital and Fidelity" in a.text
    for boilerplate in (
        "TRACKING-SCRIPT",
        "trackPageView",
        "font-family",
        "cookies",
        "AI section",
        "newsletter",
        "FOOTER-TEXT",
        "Privacy policy",
        "SIDEBAR-LINK",
    ):
        assert boilerplate not in a.text, boilerplate


def test_html_falls_back_to_page_structure_for_short_pages(tmp_path):
    # Too short for trafilatura's precision mode; the structural fallback must find it.
    p = tmp_path / "short.htm"
    p.write_text(
        "<html><head><title>Short</title><script>var SECRET=1;</script></head><body>"
        "<nav>Home | World | Tech</nav><article><p>" + LONG_TEXT + "</p></article>"
        "<footer>Contact us</footer></body></html>",
        encoding="utf-8",
    )
    a = only_article(read_all(p))
    assert LONG_TEXT in a.text
    assert "SECRET" not in a.text and "Home" not in a.text and "Contact" not in a.text
    assert a.title == "Short"


def test_html_without_main_text_is_a_failure(tmp_path):
    p = tmp_path / "empty.html"
    p.write_text(
        "<html><head><title>Nothing here</title></head><body><nav>Home</nav>"
        "<script>var x = 'a long script that is not article text';</script>"
        "</body></html>",
        encoding="utf-8",
    )
    [f] = read_all(p)
    assert f == ReadFailure(str(p), "HTML page with no main text")


def test_json_object_with_alternative_field_names():
    a = only_article(read_all(DATA / "article.json"))
    assert a.title == "Apple picks ChatGPT for Siri"
    assert a.url == "https://news.example.org/2024/06/10/apple-chatgpt"
    assert a.published == date(2024, 6, 10)
    assert a.text.startswith("Apple said it would let Siri hand some questions to ChatGPT")


def test_json_list_reports_items_without_text(tmp_path):
    p = tmp_path / "batch.json"
    p.write_text(
        json.dumps(
            [
                {"text": LONG_TEXT, "published_at": "2023-01-23"},
                {"title": "no body at all"},
                "not an object",
            ]
        ),
        encoding="utf-8",
    )
    a, f1, f2 = read_all(p)
    assert isinstance(a, Article) and a.published == date(2023, 1, 23)
    assert a.source == f"{p}#1"
    assert f1.source == f"{p}#2" and "item 2: no text" in f1.reason
    assert f2.source == f"{p}#3" and "not a JSON object" in f2.reason


def test_json_text_field_holding_html_is_reduced_to_text(tmp_path):
    p = tmp_path / "html-field.json"
    p.write_text(json.dumps({"text": "<p>" + LONG_TEXT + "</p><script>evil()</script>"}), encoding="utf-8")
    a = only_article(read_all(p))
    assert a.text == LONG_TEXT


def test_invalid_json_file_is_reported(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"text": "unterminated', encoding="utf-8")
    [f] = read_all(p)
    assert isinstance(f, ReadFailure) and f.reason.startswith("invalid JSON:")


def test_jsonl_malformed_line_is_reported_and_the_rest_read(caplog):
    path = DATA / "articles.jsonl"
    with caplog.at_level(logging.INFO, logger="ingest.readers"):
        items = read_all(path)
    assert [type(i) for i in items] == [Article, ReadFailure, Article]
    first, failure, third = items
    assert first.title == "Google merges its AI labs"
    assert first.published == date(2023, 4, 20)
    assert first.source == f"{path}#1"
    assert failure.source == f"{path}#2"
    assert failure.reason.startswith("line 2: invalid JSON: Expecting ',' delimiter")
    assert third.url == "https://news.example.org/llama2"
    assert third.published == date(2023, 7, 18)
    assert third.text.startswith("Meta released Llama 2")
    assert "line 2" in caplog.text


def test_rss_feed_items():
    items = read_all(DATA / "feed.rss")
    assert [type(i) for i in items] == [Article, Article]
    first, second = items
    assert first.title == "Microsoft hires Inflection co-founders"
    assert first.url == first.source == "https://news.example.org/2024/03/19/inflection"
    assert first.published == date(2024, 3, 19)
    assert first.text == (
        "Microsoft has hired Mustafa Suleyman and Karén Simonyan, the "
        "co-founders of Inflection AI, to lead a new consumer AI group."
    )
    assert second.published == date(2025, 1, 21)
    assert second.text.startswith("OpenAI, SoftBank and Oracle said")


def test_atom_feed_prefers_content_over_summary():
    items = read_all(DATA / "feed.atom")
    assert [type(i) for i in items] == [Article, Article]
    first, second = items
    assert first.url == "https://wire.example.org/deepseek-r1"
    assert first.published == date(2025, 1, 27)
    assert first.text.startswith("Shares of Nvidia fell sharply")
    assert "<p>" not in first.text and "Short summary" not in first.text
    # No <published>: the updated date stands in.
    assert second.published == date(2025, 6, 13)
    assert second.text.startswith("Meta agreed to invest in Scale AI")


def test_feed_with_no_items_is_a_failure(tmp_path):
    p = tmp_path / "quiet.rss"
    p.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
        "<link>https://x.example</link><description>d</description>"
        "</channel></rss>",
        encoding="utf-8",
    )
    [f] = read_all(p)
    assert f == ReadFailure(str(p), "feed with no items")


def test_unknown_extension_is_sniffed(tmp_path):
    shutil.copy(DATA / "feed.atom", tmp_path / "wire.download")
    shutil.copy(DATA / "article.html", tmp_path / "page.php")
    shutil.copy(DATA / "articles.jsonl", tmp_path / "dump.data")
    (tmp_path / "README").write_text(LONG_TEXT, encoding="utf-8")
    kinds = [(type(i).__name__, i.source) for i in read_all(tmp_path)]
    assert kinds == [
        ("Article", str(tmp_path / "README")),
        ("Article", f"{tmp_path / 'dump.data'}#1"),
        ("ReadFailure", f"{tmp_path / 'dump.data'}#2"),
        ("Article", f"{tmp_path / 'dump.data'}#3"),
        ("Article", str(tmp_path / "page.php")),
        ("Article", "https://wire.example.org/deepseek-r1"),
        ("Article", "https://wire.example.org/meta-scale"),
    ]


@pytest.mark.parametrize(
    "text, fmt",
    [
        ('{"text": "a"}\n\n{"text": "b"}\n', "jsonl"),
        ('[\n  {"text": "a"}\n]', "json"),
        ('{\n  "text": "a"\n}', "json"),
        ('<?xml version="1.0"?>\n<rss version="2.0"></rss>', "feed"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "feed"),
        ("<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("---\ntitle: x\n---\nbody", "markdown"),
        ("Microsoft <3 OpenAI, said nobody.", "text"),
    ],
)
def test_sniff_format(text, fmt):
    assert sniff_format(text) == fmt


def test_supported_extensions_cover_the_documented_formats():
    assert {".txt", ".md", ".html", ".json", ".jsonl", ".ndjson", ".rss", ".atom", ".xml"} <= SUPPORTED_EXTENSIONS


# -------------------------------------------------------------------------- stdin


def test_stdin_plain_text():
    a = only_article(read_paths(["-"], stdin=io.StringIO(LONG_TEXT + "\n")))
    assert a.text == LONG_TEXT and a.source == "-"


def test_stdin_jsonl_text_stream():
    stream = io.StringIO(
        json.dumps({"text": LONG_TEXT, "url": "https://a.example/1"})
        + "\n\n"
        + json.dumps({"content": LONG_TEXT + " Again."})
        + "\n"
    )
    first, second = read_paths(["-"], stdin=stream)
    assert first.url == "https://a.example/1" and first.source == "-#1"
    assert second.source == "-#3" and second.text.endswith("Again.")


def test_stdin_bytes_stream_is_decoded():
    stream = io.BytesIO(("Timothée Lacroix co-founded Mistral AI — in Paris.").encode())
    a = only_article(read_paths(["-"], stdin=stream))
    assert a.text == "Timothée Lacroix co-founded Mistral AI — in Paris."


def test_stdin_empty_is_a_failure():
    [f] = read_paths(["-"], stdin=io.StringIO("  \n"))
    assert f == ReadFailure("-", "empty input")


def test_stdin_over_the_limit_is_a_failure():
    [f] = read_paths(["-"], stdin=io.StringIO(LONG_TEXT * 20), max_bytes=500)
    assert f == ReadFailure("-", "input too large (over 500 bytes)", limit=500)


def test_markdown_with_front_matter_only_has_no_text(tmp_path):
    p = tmp_path / "stub.md"
    p.write_text("---\ntitle: A stub\n---\n![only an image](x.png)\n", encoding="utf-8")
    assert read_all(p) == [ReadFailure(str(p), "no text")]


# ---------------------------------------------------------------------- uploads


def test_read_bytes_uses_content_type_then_name():
    html = (DATA / "article.html").read_bytes()
    a = only_article(read_bytes(html, name="upload", content_type="text/html; charset=utf-8"))
    assert a.url == "https://news.example.org/2024/12/23/nvidia-xai" and a.source == "upload"
    items = list(read_bytes((DATA / "articles.jsonl").read_bytes(), name="batch.jsonl"))
    assert [type(i) for i in items] == [Article, ReadFailure, Article]
    assert items[1].source == "batch.jsonl#2"


def test_read_bytes_honours_declared_charset():
    body = "Timothée Lacroix — Mistral AI’s co-founder, said Monday.".encode("cp1252")
    a = only_article(read_bytes(body, name="x.txt", content_type="text/plain; charset=windows-1252"))
    assert a.text == "Timothée Lacroix — Mistral AI’s co-founder, said Monday."


def test_read_bytes_rejects_binary_and_oversize():
    [f] = read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="logo.png")
    assert f == ReadFailure("logo.png", "binary file (PNG image)")
    [f] = read_bytes(LONG_TEXT.encode() * 10, name="big.txt", max_bytes=100)
    assert f.source == "big.txt" and f.reason.startswith("file too large")


# ---------------------------------------------------------------------- encodings

ACCENTED = (
    "Timothée Lacroix, a co-founder of Mistral AI — the Paris startup — said the café meeting with Microsoft went well."
)


@pytest.mark.parametrize(
    "encoding, raw",
    [
        ("cp1252", ACCENTED.encode("cp1252")),
        ("latin-1", ACCENTED.replace("—", "-").encode("latin-1")),
        ("utf-8-sig", ACCENTED.encode("utf-8-sig")),
        ("utf-16", ACCENTED.encode("utf-16")),  # with BOM (little endian here)
        ("utf-16-be", b"\xfe\xff" + ACCENTED.encode("utf-16-be")),
    ],
)
def test_encodings_decode_right(tmp_path, encoding, raw):
    p = tmp_path / f"{encoding}.txt"
    p.write_bytes(raw)
    a = only_article(read_all(p))
    expected = ACCENTED.replace("—", "-") if encoding == "latin-1" else ACCENTED
    assert a.text == expected
    assert "Timothée" in a.text


def test_cp1252_markdown_front_matter(tmp_path):
    p = tmp_path / "cp.md"
    p.write_bytes(("---\ntitle: Café talk — Mistral\n---\n" + ACCENTED).encode("cp1252"))
    a = only_article(read_all(p))
    assert a.title == "Café talk — Mistral" and a.text == ACCENTED


def test_non_latin_text_is_not_forced_into_cp1252(tmp_path):
    russian = "Компания OpenAI объявила о новом партнёрстве с Microsoft в понедельник."
    p = tmp_path / "ru.txt"
    p.write_bytes(russian.encode("cp1251"))
    a = only_article(read_all(p))
    assert a.text == russian


# ------------------------------------------------------------------ bad input


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, caplog):
    (tmp_path / "a-good.txt").write_text(LONG_TEXT, encoding="utf-8")
    (tmp_path / "b-binary.txt").write_bytes(b"abc\x00\x01\x02def" * 20)
    (tmp_path / "c-empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "d-blank.md").write_text("   \n\n\t\n", encoding="utf-8")
    (tmp_path / "e-short.txt").write_text("Too short.", encoding="utf-8")
    (tmp_path / "f-image.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    (tmp_path / "g-big.txt").write_text(LONG_TEXT * 50, encoding="utf-8")
    (tmp_path / "h-broken-link.txt").symlink_to(tmp_path / "does-not-exist.txt")
    (tmp_path / "i-no-text.json").write_text('{"title": "headline only"}', encoding="utf-8")
    (tmp_path / "j-good.md").write_text("---\ntitle: Fine\n---\n" + LONG_TEXT, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="ingest.readers"):
        items = read_all(tmp_path, max_bytes=1000)
    got = {Path(i.source).name: (i.reason if isinstance(i, ReadFailure) else "ok") for i in items}
    assert got == {
        "a-good.txt": "ok",
        "b-binary.txt": "binary file (NUL bytes)",
        "c-empty.txt": "empty file",
        "d-blank.md": "empty file",
        "e-short.txt": "empty text (10 characters, fewer than 20)",
        "f-image.jpg": "binary file (JPEG image)",
        "g-big.txt": f"file too large ({len(LONG_TEXT) * 50 / 1024:.0f} KB, limit 1000 bytes)",
        "h-broken-link.txt": "unreadable: broken symlink",
        "i-no-text.json": "no text (expected a 'text', 'content' or 'body' field)",
        "j-good.md": "ok",
    }
    # Every skipped file is logged (at INFO: the caller tells the user) with its name.
    for name, reason in got.items():
        if reason != "ok":
            assert name in caplog.text


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_reported(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(LONG_TEXT, encoding="utf-8")
    p.chmod(0)
    try:
        [f] = read_all(p)
    finally:
        p.chmod(0o644)
    assert f.source == str(p) and f.reason.startswith("unreadable:")


def test_missing_path_is_reported(tmp_path):
    [f] = read_all(tmp_path / "nope.txt")
    assert f == ReadFailure(str(tmp_path / "nope.txt"), "unreadable: no such file")


def test_oversize_jsonl_line_is_skipped_not_the_file(tmp_path):
    p = tmp_path / "corpus.jsonl"
    p.write_text(json.dumps({"text": LONG_TEXT}) + "\n" + json.dumps({"text": LONG_TEXT * 40}) + "\n", encoding="utf-8")
    ok, big = read_all(p, max_bytes=1000)
    assert isinstance(ok, Article)
    assert big.source == f"{p}#2" and "longer than 1000 bytes" in big.reason


# ------------------------------------------------------------------ directories


def test_directory_recursion_sorted_and_hidden_skipped(tmp_path):
    for rel in ("b.txt", "a/z.md", "a/b/c.txt", "c.json", ".hidden.txt", ".git/HEAD.txt", "a/.cache/x.txt"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"text": LONG_TEXT + rel}) if rel.endswith(".json") else LONG_TEXT + rel
        p.write_text(body, encoding="utf-8")
    sources = [Path(a.source).relative_to(tmp_path).as_posix() for a in read_all(tmp_path)]
    assert sources == ["a/b/c.txt", "a/z.md", "b.txt", "c.json"]


def test_same_text_in_two_files_gives_the_same_id(tmp_path):
    (tmp_path / "one.txt").write_text(LONG_TEXT + "\n", encoding="utf-8")
    (tmp_path / "two.txt").write_bytes((LONG_TEXT + "  \r\n\r\n").encode("utf-16"))
    (tmp_path / "three.json").write_text(json.dumps({"text": LONG_TEXT}), encoding="utf-8")
    ids = {a.id for a in read_all(tmp_path)}
    assert len(ids) == 1


def test_read_paths_streams():
    gen = read_paths([DATA])
    assert inspect.isgenerator(gen)
    first = next(gen)
    assert isinstance(first, Article)
    gen.close()


def test_iter_articles_drops_failures():
    articles = list(iter_articles([DATA / "articles.jsonl", DATA / "plain.txt"]))
    assert [type(a) for a in articles] == [Article] * 3


def test_read_one_path_picks_the_reader_of_its_suffix(caplog):
    # Each sample file is read by the format its suffix names; the bad JSON line is logged.
    with caplog.at_level(logging.WARNING, logger="ingest.readers"):
        by_file = {p.name: list(read(p)) for p in sorted(DATA.iterdir())}
    assert {name: len(articles) for name, articles in by_file.items()} == {
        "article.html": 1,
        "article.json": 1,
        "article.md": 1,
        "articles.jsonl": 2,
        "feed.atom": 2,
        "feed.rss": 2,
        "plain.txt": 1,
    }
    assert by_file["article.md"][0].title == "Mistral AI signs distribution deal with Microsoft"
    assert by_file["plain.txt"][0].title is None
    assert "articles.jsonl#2: line 2: invalid JSON" in caplog.text


def test_every_format_the_readers_name_has_a_reader():
    # A suffix, a media type or a sniffed format without a registry entry would be read
    # as plain text without a word; the registry is the one table all three come from.
    assert SUPPORTED_EXTENSIONS == {suffix for entry in FORMATS.values() for suffix in entry.suffixes}
    samples = [
        '{"text": "x"}\n{"text": "y"}',
        '[{"text": "x"}]',
        "<rss><channel/></rss>",
        "<p>x</p>",
        "---\na: 1\n---\nx",
        "x",
    ]
    assert {sniff_format(s) for s in samples} == set(FORMATS)


def test_example_corpus_reads_completely():
    examples = Path(__file__).parents[2] / "examples" / "articles"
    if not examples.is_dir():
        pytest.skip("no example corpus in this checkout")
    items = read_all(examples)
    assert items and all(isinstance(i, Article) for i in items)
    assert all(a.title and a.url and a.published for a in items)


# -------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025-03-11", date(2025, 3, 11)),
        ("2025-03-11T23:30:00-05:00", date(2025, 3, 11)),
        ("March 11, 2025", date(2025, 3, 11)),
        ("11 March 2025", date(2025, 3, 11)),
        ("Tue, 11 Mar 2025 09:00:00 GMT", date(2025, 3, 11)),
        (date(2024, 1, 2), date(2024, 1, 2)),
        (1741651200, date(2025, 3, 11)),
        (1741651200000, date(2025, 3, 11)),
        ("", None),
        (None, None),
        ("sometime soon", None),
        ("2025-13-45", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_unparseable_date_falls_back_to_default(tmp_path):
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"text": LONG_TEXT, "date": "the other day"}), encoding="utf-8")
    a = only_article(read_all(p, default_published=date(2020, 1, 1)))
    assert a.published == date(2020, 1, 1)


# ------------------------------------------------------------- robustness details


def test_stdin_jsonl_streams_past_the_size_limit():
    # Each line is under the limit, the stream as a whole is far over it.
    lines = [json.dumps({"text": f"{LONG_TEXT} Item {i}."}) for i in range(2000)]
    stream = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
    items = list(read_paths(["-"], stdin=stream, max_bytes=1000))
    assert len(items) == 2000 and all(isinstance(i, Article) for i in items)
    assert items[-1].source == "-#2000" and items[-1].text.endswith("Item 1999.")


def test_jsonl_line_separator_inside_a_string_does_not_split_the_line(tmp_path):
    p = tmp_path / "ls.jsonl"
    p.write_text(
        json.dumps({"text": LONG_TEXT + "\u2028Second part."}, ensure_ascii=False)
        + "\n"
        + json.dumps({"text": LONG_TEXT})
        + "\n",
        encoding="utf-8",
    )
    items = read_all(p)
    assert [type(i) for i in items] == [Article, Article]
    assert [i.source for i in items] == [f"{p}#1", f"{p}#2"]
    uploaded = list(read_bytes(p.read_bytes(), name="up", content_type="application/x-ndjson"))
    assert [i.source for i in uploaded] == ["up#1", "up#2"]
    assert "Second part." in uploaded[0].text


def test_cp1252_and_utf16_jsonl_lines(tmp_path):
    cp = tmp_path / "cp.jsonl"
    cp.write_bytes((json.dumps({"text": ACCENTED}, ensure_ascii=False) + "\n").encode("cp1252"))
    assert only_article(read_all(cp)).text == ACCENTED
    u16 = tmp_path / "u16.jsonl"
    u16.write_bytes(
        (json.dumps({"text": ACCENTED}, ensure_ascii=False) + "\n" + json.dumps({"text": LONG_TEXT}) + "\n").encode(
            "utf-16"
        )
    )
    items = read_all(u16)
    assert [i.text for i in items] == [ACCENTED, LONG_TEXT]


def test_html_meta_charset_is_honoured(tmp_path):
    # iso-8859-7 (Greek) would be misread as cp1252 without the page's declaration.
    greek = "Η OpenAI ανακοίνωσε συνεργασία με τη Microsoft για την Ευρώπη σήμερα."
    p = tmp_path / "el.html"
    p.write_bytes(
        (
            '<html><head><meta charset="iso-8859-7"><title>t</title></head><body>'
            f"<article><p>{greek}</p></article></body></html>"
        ).encode("iso-8859-7")
    )
    assert only_article(read_all(p)).text == greek


def test_json_text_as_list_of_paragraphs(tmp_path):
    p = tmp_path / "paras.json"
    p.write_text(json.dumps({"body": [LONG_TEXT, "A second paragraph follows here."]}), encoding="utf-8")
    assert only_article(read_all(p)).text == LONG_TEXT + "\n\nA second paragraph follows here."


def test_invalid_front_matter_names_the_line(tmp_path):
    p = tmp_path / "bad.md"
    p.write_text("---\ntitle: ok\ntags: [unclosed\n---\n" + LONG_TEXT, encoding="utf-8")
    [f] = read_all(p)
    assert f.source == str(p)
    assert f.reason.startswith("invalid front matter:")
    assert "started on line 3" in f.reason  # the line with the unclosed "["


def test_html_fallback_keeps_wrapped_paragraphs_and_article_wrappers(tmp_path):
    # Short page (trafilatura's precision mode gives up), body inside a wrapper whose
    # class merely contains a furniture word, paragraphs hard-wrapped in the source.
    p = tmp_path / "wrapped.html"
    p.write_text(
        "<html><head><title>\n  Wrapped\n  title\n</title></head><body>"
        '<div class="post shareable"><article><p>OpenAI and Microsoft\n'
        "extended their partnership.</p></article></div>"
        '<div class="social-share">Share on every network</div>'
        '<div id="cookie-consent">Accept our cookies please</div></body></html>',
        encoding="utf-8",
    )
    a = only_article(read_all(p))
    assert a.text == "OpenAI and Microsoft extended their partnership."
    assert a.title == "Wrapped title"


def test_deeply_nested_json_file_is_reported_and_the_next_file_read(tmp_path):
    (tmp_path / "a_deep.json").write_bytes(b"[" * 200_000 + b"]" * 200_000)
    (tmp_path / "b_good.txt").write_text(LONG_TEXT)
    deep, good = read_all(tmp_path)
    assert isinstance(deep, ReadFailure) and "nested too deeply" in deep.reason
    assert isinstance(good, Article)


@pytest.mark.parametrize("via", ["file", "body"])
def test_jsonl_bad_lines_cost_only_themselves(tmp_path, via):
    good = json.dumps({"text": LONG_TEXT, "url": "https://example.org/ok"}).encode()
    raw = b"\x00\x01\x02 binary line\n" + b"[" * 5000 + b"]" * 5000 + b"\n" + good + b"\n"
    if via == "file":
        (tmp_path / "mixed.jsonl").write_bytes(raw)
        items = read_all(tmp_path / "mixed.jsonl")
    else:
        items = list(read_bytes(raw, name="body.jsonl", content_type="application/x-ndjson"))
    nul, deep, article = items
    assert "line 1" in nul.reason and "NUL" in nul.reason
    assert "line 2" in deep.reason and "nested too deeply" in deep.reason
    assert isinstance(article, Article) and article.url == "https://example.org/ok"


def test_a_png_posted_as_jsonl_is_still_one_binary_failure():
    items = list(read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="x", content_type="application/x-ndjson"))
    assert len(items) == 1 and "PNG" in items[0].reason
