"""Time in extraction: ended relations, dates resolved against the article, amounts as numbers.

Run through the real extractor (spaCy model, rules and the packaged classifier). The
sentences are our own; most names are invented so that the gazetteer stays out of the way.
"""

from datetime import date

import pytest

from kg.model import Article

PUB = date(2025, 6, 12)  # a Thursday


def _rels(extractor, text, published=PUB):
    ex = extractor.extract(Article(text=text, published=published))
    return {(r.subject.name, r.predicate, r.object.name): r for r in ex.relations}


# (text, (subject, predicate, object), ended)
ENDED = [
    (
        "Former Halvorsen Labs researcher Priya Venkataraman joined Quillon Systems last week.",
        ("Priya Venkataraman", "worksFor", "Halvorsen Labs"),
        True,
    ),
    (
        "Former Halvorsen Labs researcher Priya Venkataraman joined Quillon Systems last week.",
        ("Priya Venkataraman", "worksFor", "Quillon Systems"),
        False,
    ),
    # a starting verb with the employer as its object tells the start, not an ending
    ("Jane Doerr joined Vexis Labs in 2015.", ("Jane Doerr", "worksFor", "Vexis Labs"), False),
    ("Jane Doerr joined Vexis Labs in 2015 and left in 2019.", ("Jane Doerr", "worksFor", "Vexis Labs"), True),
    (
        "Tomas Reyes stepped down as chief executive of Borealis Robotics in 2023.",
        ("Tomas Reyes", "leads", "Borealis Robotics"),
        True,
    ),
    (
        "Tomas Reyes, who left Borealis Robotics in 2023, now advises startups.",
        ("Tomas Reyes", "worksFor", "Borealis Robotics"),
        True,
    ),
    ("Carla Mendez has led Borealis Robotics since 2021.", ("Carla Mendez", "leads", "Borealis Robotics"), False),
    # a tie held "since" a day, with no word that ends it, is current, in a relative
    # clause too and beside a past-tense report
    (
        "Carla Mendez, who has led research at Borealis Robotics since 2020, spoke at the summit.",
        ("Carla Mendez", "worksFor", "Borealis Robotics"),
        False,
    ),
    (
        "Wren Analytics, which has supplied fraud models to Harwick Foods since 2023, said the contract is unaffected.",
        ("Wren Analytics", "suppliesTo", "Harwick Foods"),
        False,
    ),
    ("Tomas Reyes is the chief executive of Borealis Robotics.", ("Tomas Reyes", "leads", "Borealis Robotics"), False),
    # an ending verb whose object is a third party ends that tie, not the one told beside it
    (
        "Mira Toldo left Ferncastle Robotics in 2023 to join Orlo Systems.",
        ("Mira Toldo", "worksFor", "Ferncastle Robotics"),
        True,
    ),
    (
        "Mira Toldo left Ferncastle Robotics in 2023 to join Orlo Systems.",
        ("Mira Toldo", "worksFor", "Orlo Systems"),
        False,
    ),
    (
        "Mira Toldo spent five years at Ferncastle Robotics, which she left when Orlo Systems hired her.",
        ("Mira Toldo", "worksFor", "Orlo Systems"),
        False,
    ),
    # an ending verb whose subject is a third party: Dunmore's sale ends Dunmore's stake
    (
        "Brenlow Capital took a stake in Quatrix Labs after Dunmore Industries sold its shares in the startup.",
        ("Brenlow Capital", "investsIn", "Quatrix Labs"),
        False,
    ),
    # a sale of a holding in a third party ends that holding, not the investment told beside it
    (
        "Brantley Capital sold its shares in Ostrava Logic in May and has since invested in Kelvin Dynamics.",
        ("Brantley Capital", "investsIn", "Kelvin Dynamics"),
        False,
    ),
    (
        "Harlow Ventures sold its stake in Pemberton Data last year and now backs Quillon Robotics.",
        ("Harlow Ventures", "investsIn", "Quillon Robotics"),
        False,
    ),
    # an ousting verb ends its object's tie with the company that is its subject, not another
    (
        "Orlo Systems hired Mira Toldo after Ferncastle Robotics fired her.",
        ("Mira Toldo", "worksFor", "Orlo Systems"),
        False,
    ),
    # a starting or restarting verb that takes the other side tells a start, not an ending
    (
        "Selva Mart began working with Corvane Analytics in the spring.",
        ("Selva Mart", "partnersWith", "Corvane Analytics"),
        False,
    ),
    (
        "Tollan Devices began supplying sensors to Harwick Foods in April.",
        ("Tollan Devices", "suppliesTo", "Harwick Foods"),
        False,
    ),
    ("Idris Pell rejoined Marlowe Systems earlier this year.", ("Idris Pell", "worksFor", "Marlowe Systems"), False),
    # "joined from X": X is the employer left
    (
        "Idris Pell joined Marlowe Systems from Kestrel Data last year.",
        ("Idris Pell", "worksFor", "Kestrel Data"),
        True,
    ),
    # the successor's "joined ... from X" still ends X, though "succeeded by" ends another's tie
    (
        "Pell will be succeeded by Mira Toldo, who joined Orlo Systems in 2019 from Ferncastle Robotics.",
        ("Mira Toldo", "worksFor", "Ferncastle Robotics"),
        True,
    ),
    # a succession verb ends its object's tie, whoever (a company too) takes its place
    (
        "Orlo Systems replaced Ferncastle Robotics as the main supplier to Harwick Foods.",
        ("Ferncastle Robotics", "suppliesTo", "Harwick Foods"),
        True,
    ),
    (
        "Brenlow Capital replaced Dunmore Industries as the lead investor in Quatrix Labs.",
        ("Dunmore Industries", "investsIn", "Quatrix Labs"),
        True,
    ),
    # a name followed by a date is still the object it is, not a description
    (
        "Mira Toldo joined Orlo Systems after she left Ferncastle Robotics months ago.",
        ("Mira Toldo", "worksFor", "Orlo Systems"),
        False,
    ),
    (
        "Mira Toldo joined Orlo Systems after she left Ferncastle Robotics weeks earlier.",
        ("Mira Toldo", "worksFor", "Orlo Systems"),
        False,
    ),
    # the company that ousts may be told by a possessor, or by the agent of a passive
    pytest.param(
        "Mira Toldo took a job at Orlo Systems after Ferncastle's board fired her.",
        ("Mira Toldo", "worksFor", "Orlo Systems"),
        False,
        marks=pytest.mark.xfail(
            strict=True,
            reason="the model (stop 51, calibrated on fresh writing as well) scores 'took a job at' 0.53, "
            "under the threshold of 0.55",
        ),
    ),
    (
        "Orlo Systems hired Mira Toldo after she was fired by Ferncastle Robotics.",
        ("Mira Toldo", "worksFor", "Orlo Systems"),
        False,
    ),
    # ... unless the ousting clause names the pair's company: a shareholder ousts from it
    (
        "Mira Toldo was removed as chief executive of Orlo Systems on Monday by its largest shareholder, "
        "Ferncastle Holdings.",
        ("Mira Toldo", "leads", "Orlo Systems"),
        True,
    ),
]


def _id(case):
    _, (s, p, o), _ = case.values if hasattr(case, "values") else case
    return f"{p}-{o}"


@pytest.mark.parametrize(("text", "triple", "ended"), ENDED, ids=[_id(c) for c in ENDED])
def test_ended_flag(extractor, text, triple, ended):
    rels = _rels(extractor, text)
    assert triple in rels, f"{triple} not extracted from {text!r}: {sorted(rels)}"
    assert rels[triple].ended is ended


def test_end_date_and_start_date(extractor):
    left = _rels(extractor, "Tomas Reyes stepped down as chief executive of Borealis Robotics in 2023.")
    rel = left[("Tomas Reyes", "leads", "Borealis Robotics")]
    assert (rel.date_text, rel.date, rel.end_date, rel.start_date) == ("2023", "2023", "2023", None)
    since = _rels(extractor, "Carla Mendez has led Borealis Robotics since 2021.")
    rel = since[("Carla Mendez", "leads", "Borealis Robotics")]
    assert (rel.date, rel.start_date, rel.end_date) == ("2021", "2021", None)
    joined = _rels(extractor, "Jane Doerr joined Vexis Labs in 2015.")
    rel = joined[("Jane Doerr", "worksFor", "Vexis Labs")]
    assert (rel.date, rel.start_date, rel.end_date) == ("2015", "2015", None)


def test_a_succession_gives_the_end_date(extractor):
    rels = _rels(extractor, "Orlo Systems succeeded Ferncastle Robotics as the supplier of Harwick Foods in 2024.")
    rel = rels[("Ferncastle Robotics", "suppliesTo", "Harwick Foods")]
    assert (rel.ended, rel.end_date) == (True, "2024")


def test_a_third_partys_ending_does_not_date_the_pair(extractor):
    rel = _rels(extractor, "Mira Toldo quit Orlo Systems, which had fired Idris Pell in 2023.")[
        ("Mira Toldo", "worksFor", "Orlo Systems")
    ]
    # 2023 is when Idris Pell was fired, not when she quit
    assert (rel.ended, rel.end_date) == (True, None)


def test_rules_alone_ask_whose_tie_an_ending_word_ends(rules_nlp):
    """With no trained model the rules' verdict reads the same words."""
    from ingest.pipeline import Extractor

    rules = Extractor(rules_nlp)
    text = "Orlo Systems replaced Ferncastle Robotics as the main supplier to Harwick Foods."
    ex = rules.extract(Article(text=text, published=PUB))
    rels = {(r.subject.name, r.predicate, r.object.name): r for r in ex.relations}
    assert rels[("Ferncastle Robotics", "suppliesTo", "Harwick Foods")].ended is True
    text = "Mira Toldo left Ferncastle Robotics in 2023 to join Orlo Systems."
    ex = rules.extract(Article(text=text, published=PUB))
    rels = {(r.subject.name, r.predicate, r.object.name): r for r in ex.relations}
    assert rels[("Mira Toldo", "worksFor", "Ferncastle Robotics")].ended is True
    assert rels[("Mira Toldo", "worksFor", "Orlo Systems")].ended is False


def test_a_short_form_is_the_same_party_only_as_a_company_name():
    from ingest.relations.parties import same_party

    orgs = frozenset({"Croskine Partners", "Tamsin Vision"})
    assert same_party("Croskine", "Croskine Partners", orgs)
    assert same_party("Croskine Partners", "croskine partners", orgs)
    # "Vision" names another unit, not that "Tamsin" is a company
    assert not same_party("Tamsin", "Tamsin Vision", orgs)
    # "Croskine Labs" is not known as an organisation here (a person, a product)
    assert not same_party("Croskine", "Croskine Labs", orgs)


def test_relative_date_resolved_against_the_article(extractor):
    text = "Amazon invested $4bn in Anthropic last month."
    rel = _rels(extractor, text, published=date(2023, 10, 5))[("Amazon", "investsIn", "Anthropic")]
    assert rel.date_text == "last month" and rel.date == "2023-09"
    assert (rel.amount, rel.amount_value, rel.amount_currency) == ("$4bn", "4000000000", "USD")
    undated = _rels(extractor, text, published=None)[("Amazon", "investsIn", "Anthropic")]
    assert undated.date_text == "last month" and undated.date is None
    assert "no article date" in undated.date_note


def test_amount_in_euros_and_a_stake(extractor):
    rels = _rels(extractor, "Acme Capital bought a 49% stake in Borealis Robotics for €1.7 billion.")
    rel = rels[("Acme Capital", "investsIn", "Borealis Robotics")]
    assert (rel.amount, rel.amount_value, rel.amount_currency) == ("€1.7 billion", "1700000000", "EUR")
    assert rel.stake_percent == "49"


def test_reporting_day_is_not_the_deals_date(extractor):
    text = "Microsoft said on Tuesday that it had invested $10 billion in OpenAI in January."
    rel = _rels(extractor, text, published=date(2023, 3, 2))[("Microsoft", "investsIn", "OpenAI")]
    assert rel.date_text == "January" and rel.date == "2023-01"


# Which date belongs to the relation when the sentence has several: (text, triple,
# expected date words). The published day is PUB.
ATTACHED = [
    # the date nearest the trigger wins over one higher up the sentence
    (
        "Ruth Calder succeeded Ian Ward at Amazon in February 2014 and has overseen Amazon's investment "
        "in Anthropic, which began in 2023.",
        ("Amazon", "investsIn", "Anthropic"),
        "2023",
    ),
    # a date after the first of two coordinated verbs is that verb's own
    (
        "Brantley Capital sold its shares in Ostrava Logic in May and has since invested in Kelvin Dynamics.",
        ("Brantley Capital", "investsIn", "Kelvin Dynamics"),
        None,
    ),
    # a fronted date covers both verbs
    (
        "In 2022, Brantley Capital sold its shares in Ostrava Logic and invested in Kelvin Dynamics.",
        ("Brantley Capital", "investsIn", "Kelvin Dynamics"),
        "2022",
    ),
    # "said on Monday the company had agreed": the parser may hang the day on the deal
    (
        "Ruth Okafor said on Monday the Tamsin Group had agreed to buy Velloran Data for $90 million.",
        ("Tamsin Group", "acquires", "Velloran Data"),
        None,
    ),
    # a purpose clause shares the main verb's day; a length of time is no date
    (
        "Ferncastle Compute signed a deal on Friday to supply chips to Odessa Robotics for three years.",
        ("Ferncastle Compute", "suppliesTo", "Odessa Robotics"),
        "Friday",
    ),
    # another subject's clause says nothing of the pair
    (
        "Its largest backer, Harrowgate Partners, put money into Lumora Labs last year, "
        "while its former parent, Tessit Group, spun it off in 2021.",
        ("Harrowgate Partners", "investsIn", "Lumora Labs"),
        "last year",
    ),
    # "from ... until ...": an ended role's date is its end
    (
        "Irene Castell, the chief executive of Dunmore Freight from 2016 until last year, signed the contract.",
        ("Irene Castell", "leads", "Dunmore Freight"),
        "last year",
    ),
    # a founding is dated by a founding verb, not by another event in the clause
    (
        "Juno Tabata, who founded Arvalo Robotics in 2018, said the stake that Kestrel Capital took in it "
        "in 2021 was sold.",
        ("Juno Tabata", "founded", "Arvalo Robotics"),
        "2018",
    ),
]


@pytest.mark.parametrize(("text", "triple", "words"), ATTACHED, ids=[f"{t[1]}-{t[2]}" for _, t, _ in ATTACHED])
def test_the_relations_own_date(extractor, text, triple, words):
    rels = _rels(extractor, text)
    assert triple in rels, f"{triple} not extracted from {text!r}: {sorted(rels)}"
    assert rels[triple].date_text == words


def test_that_year_leans_on_the_date_before_it(extractor):
    rels = _rels(extractor, "Dara Quinn left Ostrava Logic in 2020 and founded Tidewater Data the same year.")
    rel = rels[("Dara Quinn", "founded", "Tidewater Data")]
    assert (rel.date_text, rel.date) == ("the same year", "2020")
    rels = _rels(
        extractor,
        "Kofi Mensah sold Lanthorn to Dovecote Bank in 2022 and left in 2023. That year he started Abena Capital.",
    )
    rel = rels[("Kofi Mensah", "founded", "Abena Capital")]
    assert (rel.date_text, rel.date) == ("That year", "2023")
