"""The time queries (issue 15) on a real store whose statements carry endings, dates and amounts.

The story: Jane Doe joins Acme AI in April 2019, becomes its chief executive in February
2022 and leaves in May 2024 (three articles); Bob Roe takes over on 1 July 2024. Carl Poe
leaves Acme in 2020 and comes back in 2021. Ties go to the ending: Dana Wu's departure is
told in the article that also calls her an Acme engineer, Frank Li joins and leaves in
2022 (start and end date), Ivy Ng in July 2023 (the ending has a stated date only), and
an undated profile has Gus Ho both "of Acme AI" and "a former Acme AI researcher". Hana
Ito leaves in March 2023 and is called a former engineer in June 2024. Vega Capital invests in dollars and euros over 2023 and 2024, one deal repeated by
two articles and restated a year later, and sells its euro stake in November 2024. Eve
Sun, who has led Nimbus Labs since 2020, steps down in June 2021, is back in 2023 and steps
down again, undated, in an article of 15 January 2024; in November she is still its chief
scientist.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.queries import get_query, run_named
from kg.store import LocalStore, iter_solutions
from kg.validate import validate_batch

JANE = Entity("Jane Doe", "Person")
BOB = Entity("Bob Roe", "Person")
CARL = Entity("Carl Poe", "Person")
DANA = Entity("Dana Wu", "Person")
EVE = Entity("Eve Sun", "Person")
FRANK = Entity("Frank Li", "Person")
GUS = Entity("Gus Ho", "Person")
HANA = Entity("Hana Ito", "Person")
IVY = Entity("Ivy Ng", "Person")
ACME = Entity("Acme AI", "Organization")
ORBIT = Entity("Orbit Labs", "Organization")
NIMBUS = Entity("Nimbus Labs", "Organization")
VEGA = Entity("Vega Capital", "Organization")
LUMEN = Entity("Lumen Partners", "Organization")


def m(s, p, o, sentence, **time):
    """One mention: (subject, predicate, object, sentence, time and amount fields)."""
    return (s, p, o, sentence, time)


# (title, published, mentions)
ARTICLES = [
    (
        "Jane Doe joins Acme AI",
        date(2019, 4, 10),
        [
            m(
                JANE,
                "worksFor",
                ACME,
                "Jane Doe joined Acme AI in April 2019.",
                date="2019-04",
                start_date="2019-04",
                date_text="in April 2019",
            ),
        ],
    ),
    (
        "Carl Poe leaves Acme AI",
        date(2020, 8, 1),
        [
            m(
                CARL,
                "worksFor",
                ACME,
                "Carl Poe left Acme AI in July.",
                ended=True,
                date="2020-07",
                end_date="2020-07",
                date_text="in July",
            ),
            m(
                EVE,
                "leads",
                NIMBUS,
                "Eve Sun has run Nimbus Labs since she started it in 2020.",
                date="2020",
                start_date="2020",
                date_text="in 2020",
            ),
            m(
                EVE,
                "worksFor",
                NIMBUS,
                "Eve Sun has worked at Nimbus Labs since 2020.",
                date="2020",
                start_date="2020",
                date_text="since 2020",
            ),
        ],
    ),
    (
        "Acme AI names Jane Doe chief executive",
        date(2022, 2, 15),
        [
            m(
                JANE,
                "leads",
                ACME,
                "Acme AI named Jane Doe chief executive on Monday.",
                date="2022-02-14",
                start_date="2022-02-14",
                date_text="on Monday",
            ),
            m(JANE, "worksFor", ACME, "Doe has worked at Acme AI for three years."),
            m(
                CARL,
                "worksFor",
                ACME,
                "Carl Poe, who rejoined Acme AI in March 2021, leads research.",
                date="2021-03",
                start_date="2021-03",
                date_text="in March 2021",
            ),
            m(
                EVE,
                "leads",
                NIMBUS,
                "Eve Sun stepped down as head of Nimbus Labs in June 2021.",
                ended=True,
                date="2021-06",
                end_date="2021-06",
                date_text="in June 2021",
            ),
            m(
                LUMEN,
                "investsIn",
                ORBIT,
                "Lumen Partners sold its Orbit Labs shares this year.",
                ended=True,
                date="2022",
                end_date="2022",
                date_text="this year",
            ),
            m(
                FRANK,
                "worksFor",
                ACME,
                "Frank Li joined Acme AI this year.",
                date="2022",
                start_date="2022",
                date_text="this year",
            ),
            m(
                FRANK,
                "worksFor",
                ACME,
                "Frank Li will leave Acme AI before the year is out.",
                ended=True,
                date="2022",
                end_date="2022",
                date_text="before the year is out",
            ),
        ],
    ),
    (
        "Vega Capital puts $2 billion into Acme AI",
        date(2023, 3, 1),
        [
            m(
                VEGA,
                "investsIn",
                ACME,
                "Vega Capital invested $2 billion in Acme AI.",
                amount="$2 billion",
                amount_value="2000000000",
                amount_currency="USD",
            ),
        ],
    ),
    (
        "Vega's Acme bet",
        date(2023, 3, 2),
        [
            m(
                VEGA,
                "investsIn",
                ACME,
                "The $2 billion Vega Capital put into Acme AI is its largest.",
                amount="$2 billion",
                amount_value="2000000000",
                amount_currency="USD",
            ),
        ],
    ),
    (
        "Dana Wu leaves Acme AI",
        date(2023, 5, 5),
        [
            m(DANA, "worksFor", ACME, "Acme AI engineer Dana Wu spoke at the launch."),
            m(DANA, "worksFor", ACME, "Dana Wu left Acme AI today.", ended=True, date_text="today"),
            m(
                HANA,
                "worksFor",
                ACME,
                "Hana Ito left Acme AI in March.",
                ended=True,
                date="2023-03",
                end_date="2023-03",
                date_text="in March",
            ),
        ],
    ),
    (
        "Vega Capital backs Nimbus Labs",
        date(2023, 7, 10),
        [
            m(
                VEGA,
                "investsIn",
                NIMBUS,
                "Vega Capital backs Nimbus Labs with 300 million euros.",
                amount="300 million euros",
                amount_value="300000000",
                amount_currency="EUR",
            ),
            m(
                EVE,
                "leads",
                NIMBUS,
                "Eve Sun, back as Nimbus Labs chief executive since January, welcomed it.",
                date="2023-01",
                start_date="2023-01",
                date_text="since January",
            ),
            m(
                IVY,
                "worksFor",
                ACME,
                "Ivy Ng started at Acme AI in July.",
                date="2023-07",
                start_date="2023-07",
                date_text="in July",
            ),
            m(
                IVY,
                "worksFor",
                ACME,
                "Ivy Ng's time at Acme AI was over in July too.",
                ended=True,
                date="2023-07",
                date_text="in July",
            ),
        ],
    ),
    (
        "Vega leads a new Acme round",
        date(2024, 1, 15),
        [
            m(
                VEGA,
                "investsIn",
                ACME,
                "Vega Capital led a $500 million round in Acme AI.",
                amount="$500 million",
                amount_value="500000000",
                amount_currency="USD",
            ),
            m(
                VEGA,
                "investsIn",
                ACME,
                "Vega Capital first put $2 billion into Acme AI in March 2023.",
                amount="$2 billion",
                amount_value="2000000000",
                amount_currency="USD",
                date="2023-03",
                date_text="in March 2023",
            ),
            m(
                LUMEN,
                "investsIn",
                NIMBUS,
                "Lumen Partners added 50 million euros to Nimbus Labs in December.",
                amount="50 million euros",
                amount_value="50000000",
                amount_currency="EUR",
                date="2023-12",
                date_text="in December",
            ),
            m(LUMEN, "investsIn", ORBIT, "Lumen Partners bought back into Orbit Labs."),
            m(EVE, "leads", NIMBUS, "Eve Sun has stepped down as Nimbus Labs chief executive.", ended=True),
            m(
                VEGA,
                "investsIn",
                ORBIT,
                "Vega Capital is said to weigh $1 billion for Orbit Labs.",
                amount="$1 billion",
                amount_value="1000000000",
                amount_currency="USD",
                hedged=True,
            ),
        ],
    ),
    (
        "Jane Doe steps down at Acme AI",
        date(2024, 6, 3),
        [
            m(
                JANE,
                "leads",
                ACME,
                "Jane Doe stepped down as chief executive of Acme AI in May.",
                ended=True,
                date="2024-05",
                end_date="2024-05",
                date_text="in May",
            ),
            m(
                JANE,
                "worksFor",
                ACME,
                "Doe left Acme AI in May after five years.",
                ended=True,
                date="2024-05",
                end_date="2024-05",
                date_text="in May",
            ),
            m(
                BOB,
                "leads",
                ACME,
                "Bob Roe takes over as chief executive of Acme AI on July 1.",
                date="2024-07-01",
                start_date="2024-07-01",
                date_text="on July 1",
            ),
            m(HANA, "worksFor", ACME, "Former Acme AI engineer Hana Ito now advises Vega Capital.", ended=True),
        ],
    ),
    (
        "Vega Capital sells its Nimbus stake",
        date(2024, 11, 20),
        [
            m(
                VEGA,
                "investsIn",
                NIMBUS,
                "Vega Capital sold its Nimbus Labs stake for 350 million euros this month.",
                ended=True,
                date="2024-11",
                end_date="2024-11",
                date_text="this month",
                amount="350 million euros",
                amount_value="350000000",
                amount_currency="EUR",
            ),
            m(EVE, "worksFor", NIMBUS, "Nimbus Labs chief scientist Eve Sun stays on."),
        ],
    ),
    (
        "Orbit Labs hires Jane Doe",
        date(2025, 1, 20),
        [
            m(JANE, "worksFor", ORBIT, "Jane Doe has joined Orbit Labs."),
            m(BOB, "leads", ACME, "Acme AI chief executive Bob Roe welcomed the news."),
        ],
    ),
    (
        "An undated profile",
        None,
        [
            m(JANE, "worksFor", ACME, "Jane Doe of Acme AI spoke about agents."),
            m(GUS, "worksFor", ACME, "Gus Ho of Acme AI was there."),
            m(
                LUMEN,
                "investsIn",
                ACME,
                "Lumen Partners has 20 million euros in Acme AI.",
                amount="20 million euros",
                amount_value="20000000",
                amount_currency="EUR",
            ),
            m(GUS, "worksFor", ACME, "Gus Ho, a former Acme AI researcher, asked the first question.", ended=True),
        ],
    ),
]


def extractions() -> dict[str, Extraction]:
    """Return article id -> its extraction, each mention at its sentence's offsets."""
    out = {}
    for i, (title, published, mentions) in enumerate(ARTICLES):
        text = f"{title}.\n\n" + " ".join(sent for *_, sent, _ in mentions)
        art = Article(text=text, url=f"https://time.example/{i}", title=title, published=published)
        rels = []
        for s, p, o, sent, time in mentions:
            start = art.text.index(sent)
            rels.append(RelationMention(s, p, o, 0.9, sent, start, start + len(sent), **time))
        ents = tuple({e.slug: e for s, _, o, *_ in mentions for e in (s, o)}.values())
        out[art.id] = Extraction(art, ents, tuple(rels), "test-time-1")
    return out


@pytest.fixture(scope="module")
def timeline(tmp_path_factory):
    """A store on disk holding the story, written through the loader with shape validation."""
    exs = extractions()
    store = LocalStore(tmp_path_factory.mktemp("time") / "store")
    summary = ingest(
        store, [e.article for e in exs.values()], lambda batch: [exs[a.id] for a in batch], validate=validate_batch
    )
    assert summary.new == len(ARTICLES) and not summary.skipped
    yield store
    store.close()


def rows(store, name, **params):
    """Return the rows as dicts of plain values."""
    return [
        {k: (v.value if v is not None else None) for k, v in r.items()}
        for r in iter_solutions(run_named(store, name, params))
    ]


def test_the_fixture_wrote_the_time_fields(timeline):
    # the queries below would pass vacuously if the mapping had dropped these
    for prop, n in (("ended", 38), ("startDate", 9), ("endDate", 8), ("amountValue", 9), ("currency", 9)):
        (row,) = timeline.query(
            f"PREFIX aikg: <https://w3id.org/aikg/ontology#> SELECT (COUNT(*) AS ?n) WHERE {{ ?st aikg:{prop} ?v }}"
        )
        assert int(row["n"].value) == n, prop


# --- current-employer-of


def test_current_employer_after_leaving_is_the_new_one(timeline):
    # the undated profile still calls her "of Acme AI": undated counts as older than the ending
    found = rows(timeline, "current-employer-of", entity="Jane Doe")
    assert [(r["orgLabel"], r["predicate"]) for r in found] == [("Orbit Labs", "worksFor")]
    assert (found[0]["since"], found[0]["sources"]) == ("2025-01-20", "1")


def test_current_employer_since_and_sources(timeline):
    (bob,) = rows(timeline, "current-employer-of", entity="Bob Roe")
    assert (bob["orgLabel"], bob["predicate"], bob["since"], bob["sources"]) == ("Acme AI", "leads", "2024-07-01", "2")
    # left in 2020, rejoined in March 2021: current again, since the return
    (carl,) = rows(timeline, "current-employer-of", entity="Carl Poe")
    assert (carl["orgLabel"], carl["since"], carl["sources"]) == ("Acme AI", "2021-03", "1")


@pytest.mark.parametrize("person", ["Dana Wu", "Frank Li", "Ivy Ng", "Gus Ho"])
def test_an_ending_on_the_same_claim_day_wins_the_tie(timeline, person):
    # the same article day; "2022" as start and end date; "2023-07" as start and stated
    # date; both undated
    assert rows(timeline, "current-employer-of", entity=person) == []


# --- people-who-left


def test_people_who_left_with_dates_words_and_evidence(timeline):
    left = rows(timeline, "people-who-left", entity="Acme AI")
    found = {(r["personLabel"], r["predicate"]): r for r in left}
    assert set(found) == {
        ("Jane Doe", "leads"),
        ("Jane Doe", "worksFor"),
        ("Dana Wu", "worksFor"),
        ("Frank Li", "worksFor"),
        ("Ivy Ng", "worksFor"),
        ("Gus Ho", "worksFor"),
        ("Hana Ito", "worksFor"),
    }
    jane = found[("Jane Doe", "leads")]
    assert (jane["endDate"], jane["dateText"]) == ("2024-05", "in May")
    assert jane["evidence"] == "Jane Doe stepped down as chief executive of Acme AI in May."
    assert (jane["title"], jane["url"]) == ("Jane Doe steps down at Acme AI", "https://time.example/8")
    dana = found[("Dana Wu", "worksFor")]
    assert (dana["endDate"], dana["dateText"]) == ("2023-05-05", "today")  # no date given: the article's day
    # the latest ending dates the relation: "former engineer" in June 2024, not "left in March" 2023
    hana = found[("Hana Ito", "worksFor")]
    assert (hana["endDate"], hana["dateText"], hana["url"]) == ("2024-06-03", None, "https://time.example/8")
    assert len([r for r in left if r["personLabel"] == "Hana Ito"]) == 1
    assert [found[(p, "worksFor")]["endDate"] for p in ("Frank Li", "Ivy Ng", "Gus Ho")] == ["2022", "2023-07", ""]
    # newest ending first
    assert [r["endDate"] for r in left] == sorted((r["endDate"] for r in left), reverse=True)


def test_someone_who_came_back_has_not_left(timeline):
    assert "Carl Poe" not in {r["personLabel"] for r in rows(timeline, "people-who-left", entity="Acme")}
    assert rows(timeline, "people-who-left", entity="Orbit Labs") == []


def test_leaving_a_post_but_staying_on(timeline):
    # Eve Sun stepped down as chief executive and is later named chief scientist
    assert [
        (r["personLabel"], r["predicate"], r["endDate"])
        for r in rows(timeline, "people-who-left", entity="Nimbus Labs")
    ] == [("Eve Sun", "leads", "2024-01-15")]
    assert [
        (r["orgLabel"], r["predicate"], r["since"]) for r in rows(timeline, "current-employer-of", entity="Eve Sun")
    ] == [("Nimbus Labs", "worksFor", "2020")]


# --- who-led-on


@pytest.mark.parametrize(
    "day, leaders",
    [
        ("2021-12-31", []),  # Jane works there but does not lead yet
        ("2022-02-14", ["Jane Doe"]),  # the start day counts
        ("2023-12-31", ["Jane Doe"]),
        ("2024-05-01", []),  # "in May" ends it from the first of the month
        ("2024-06-15", []),  # Bob's start, announced on 3 June, is 1 July
        ("2024-07-01", ["Bob Roe"]),
        ("2030-01-01", ["Bob Roe"]),
    ],
)
def test_who_led_on(timeline, day, leaders):
    assert [r["personLabel"] for r in rows(timeline, "who-led-on", entity="Acme AI", date=day)] == leaders


@pytest.mark.parametrize(
    "day, leaders",
    [
        ("2020-01-01", ["Eve Sun"]),  # "in 2020" counts from 1 January
        ("2021-12-31", []),  # stepped down in June 2021
        ("2023-06-01", ["Eve Sun"]),  # back in January 2023
        ("2024-01-14", ["Eve Sun"]),
        ("2024-01-15", []),  # stepped down, no date given: the article's day
    ],
)
def test_who_led_on_after_a_return(timeline, day, leaders):
    assert [r["personLabel"] for r in rows(timeline, "who-led-on", entity="Nimbus Labs", date=day)] == leaders


def test_who_led_on_reports_the_running_spell(timeline):
    (jane,) = rows(timeline, "who-led-on", entity="Acme AI", date="2023-01-01")
    assert (jane["since"], jane["last"], jane["sources"]) == ("2022-02-14", "2022-02-14", "1")
    (bob,) = rows(timeline, "who-led-on", entity="Acme AI", date="2025-06-01")
    assert (bob["since"], bob["last"], bob["sources"]) == ("2024-07-01", "2025-01-20", "2")
    # the spell before her return is not part of the running one
    (eve,) = rows(timeline, "who-led-on", entity="Nimbus Labs", date="2023-06-01")
    assert (eve["since"], eve["sources"]) == ("2023-01", "1")


# --- investment-totals


def totals(store, **params):
    return {
        (r["investorLabel"], r["year"], r["currencyCode"]): (Decimal(r["total"]), int(r["deals"]))
        for r in rows(store, "investment-totals", **params)
    }


def test_investment_totals_count_a_repeated_deal_once_and_keep_currencies_apart(timeline):
    assert totals(timeline) == {
        # $2 billion told by two articles in March 2023 and restated in 2024: once, in 2023
        ("Vega Capital", "2023", "USD"): (Decimal("2000000000"), 1),
        ("Vega Capital", "2023", "EUR"): (Decimal("300000000"), 1),
        # the sale of the Nimbus stake (ended) and the rumoured Orbit deal (hedged) add nothing
        ("Vega Capital", "2024", "USD"): (Decimal("500000000"), 1),
        # told in January 2024, dated December 2023 by its sentence
        ("Lumen Partners", "2023", "EUR"): (Decimal("50000000"), 1),
        ("Lumen Partners", "", "EUR"): (Decimal("20000000"), 1),  # only an undated article says so
    }


def test_investment_totals_for_one_currency(timeline):
    assert totals(timeline, currency="eur") == {
        ("Vega Capital", "2023", "EUR"): (Decimal("300000000"), 1),
        ("Lumen Partners", "2023", "EUR"): (Decimal("50000000"), 1),
        ("Lumen Partners", "", "EUR"): (Decimal("20000000"), 1),
    }
    assert totals(timeline, currency="ALL") == totals(timeline)
    assert totals(timeline, currency="GBP") == {}


@pytest.mark.parametrize("name", ["current-employer-of", "people-who-left", "who-led-on"])
def test_a_hostile_entity_is_data(timeline, name):
    params = {"entity": '"} } ; DROP ALL ; #'}
    if name == "who-led-on":
        params["date"] = "2024-01-01"
    before = len(timeline)
    assert rows(timeline, name, **params) == []
    assert len(timeline) == before


def test_currency_default_is_declared_and_bad_codes_are_refused(timeline):
    q = get_query("investment-totals")
    assert q.params == ("currency",) and q.defaults == {"currency": "all"}
    assert q.to_dict()["params"][0]["default"] == "all"
    with pytest.raises(ValueError, match="three-letter"):
        run_named(timeline, "investment-totals", {"currency": "US dollars"})


# --- as-of and investments-as-of: the relation as it stood on the day


def triples(store, day):
    return {(r["sLabel"], r["predicate"], r["oLabel"]): r for r in rows(store, "as-of", date=day)}


def test_as_of_leaves_out_relations_over_by_then(timeline):
    before = triples(timeline, "2020-12-31")
    assert ("Jane Doe", "worksFor", "Acme AI") in before
    assert ("Carl Poe", "worksFor", "Acme AI") not in before  # left in July 2020
    mid = triples(timeline, "2023-12-31")
    assert {
        ("Jane Doe", "leads", "Acme AI"),
        ("Carl Poe", "worksFor", "Acme AI"),
        ("Vega Capital", "investsIn", "Nimbus Labs"),
    } <= set(mid)
    assert ("Dana Wu", "worksFor", "Acme AI") not in mid
    late = triples(timeline, "2024-12-31")
    assert ("Jane Doe", "leads", "Acme AI") not in late and ("Jane Doe", "worksFor", "Acme AI") not in late
    assert ("Vega Capital", "investsIn", "Nimbus Labs") not in late
    assert ("Bob Roe", "leads", "Acme AI") in late
    # announced on 3 June for 1 July: not yet on 15 June
    assert ("Bob Roe", "leads", "Acme AI") not in triples(timeline, "2024-06-15")


def test_as_of_counts_by_claim_day(timeline):
    assert ("Vega Capital", "investsIn", "Acme AI") not in triples(timeline, "2023-02-28")
    vega = triples(timeline, "2024-02-01")[("Vega Capital", "investsIn", "Acme AI")]
    # three articles by then; the 2024 one dates its sentence March 2023, the earliest claim
    assert (vega["sources"], vega["first"]) == ("3", "2023-03")
    jane = triples(timeline, "2023-12-31")[("Jane Doe", "worksFor", "Acme AI")]
    assert (jane["first"], jane["sources"]) == ("2019-04", "2")  # the undated profile is left out


def test_investments_as_of_drops_a_stake_once_sold(timeline):
    def targets(day):
        return sorted(r["targetLabel"] for r in rows(timeline, "investments-as-of", entity="Vega Capital", date=day))

    assert targets("2023-03-01") == ["Acme AI"]
    # hedged statements are claims like any other in as-of views (only the totals leave them out)
    assert targets("2024-06-30") == ["Acme AI", "Nimbus Labs", "Orbit Labs"]
    assert targets("2024-11-01") == ["Acme AI", "Orbit Labs"]  # sold "this month": from November 1
    # Lumen sold out of Orbit in 2022 and bought back in on 15 January 2024; the article of
    # that day dates its Nimbus investment December 2023
    lumen = rows(timeline, "investments-as-of", entity="Lumen Partners", date="2023-12-31")
    assert [(r["targetLabel"], r["first"]) for r in lumen] == [("Nimbus Labs", "2023-12")]
    lumen = rows(timeline, "investments-as-of", entity="Lumen Partners", date="2024-01-15")
    assert [(r["targetLabel"], r["first"], r["sources"]) for r in lumen] == [
        ("Nimbus Labs", "2023-12", "1"),
        ("Orbit Labs", "2024-01-15", "1"),
    ]


# --- the README shows the same SPARQL


@pytest.mark.parametrize("name", ["current-employer-of", "people-who-left", "who-led-on", "investment-totals"])
def test_readme_shows_the_shipped_sparql(name):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<code>kg/queries/{name}\.rq</code>\)</summary>\s*```sparql\n(.*?)```", readme, re.S)
    assert m, f"README has no SPARQL for {name}"
    shown = m.group(1).splitlines()
    values = [line for line in shown if line.lstrip().startswith("VALUES") and "?p " not in line]
    assert len(values) == 1 and all(f"?{p}" in values[0] for p in get_query(name).params)
    shown.remove(values[0])
    text = get_query(name).text.splitlines()
    body = text[next(i for i, line in enumerate(text) if line.startswith("PREFIX")) :]
    assert shown == body
