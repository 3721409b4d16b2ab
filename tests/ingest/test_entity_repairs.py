"""Names NER cuts short, misses or mistypes, repaired from their spelling (ingest.entities.repair, ner).

Every text here is our own wording; each case failed before the repair it tests.
"""

import pytest

from kg.model import Article


def _extract(extractor, text):
    ex = extractor.extract(Article(text=text))
    ents = {e.name: e.type for e in ex.entities}
    rels = {(r.subject.name, r.predicate, r.object.name) for r in ex.relations}
    return ents, rels


# (text, the entities a reader must see with their types)
NAMES = [
    # a legal form ends a company name NER did not find at all
    (
        "Corvane Mobility LLC is a subsidiary of Dastra Inc.",
        {"Corvane Mobility": "Organization", "Dastra": "Organization"},
    ),
    # ... and a legal name is not a short form of an earlier, longer name
    (
        "Corvane Mobility LLC is the wholly owned wireless subsidiary of Corvane Inc.",
        {"Corvane Mobility": "Organization", "Corvane": "Organization"},
    ),
    # a name NER began further left keeps its start (a guard: this one was right before)
    ("Shares of Bank of Osland Corp. fell 3% after the report.", {"Bank of Osland": "Organization"}),
    # a nickname inside a person's name
    (
        "Tom's Bikes was started by Thomas (Tom) Varga, a former racer from Ohio.",
        {"Thomas (Tom) Varga": "Person", "Varga": None},
    ),
    ('Samuel D. "Sam" Kettler, the founder, spoke first.', {'Samuel D. "Sam" Kettler': "Person"}),
    # a generational suffix
    ("Cordell Health's current interim CEO is John M. Starcher, Jr.", {"John M. Starcher, Jr.": "Person"}),
    # a birth date in brackets after the name: NER had called him a company
    (
        "Gildo Pallanca Pastor (born 1 April 1967) is a Monegasque businessman, CEO and owner of Venturi Automobiles.",
        {"Gildo Pallanca Pastor": "Person", "Venturi Automobiles": "Organization"},
    ),
    # an organization noun before the name: NER had called it a place
    ("She founded the video game company Mojang alongside Carl Manneh in 2010.", {"Mojang": "Organization"}),
    # an organization head word ends a name NER called a place
    ("Osk Delvan is a Dutch composer. He worked at Tervo Labs from 1994 to 2000.", {"Tervo Labs": "Organization"}),
    # an occupation in apposition: a person, though no model knew the name
    ("Ana Guthrie, a chemist, founded Corvel Bio in 2004.", {"Ana Guthrie": "Person", "Corvel Bio": "Organization"}),
    # initials in brackets, and later on their own, name the company before them ...
    (
        "Harbor Pine Capital (HPC) invested in Osprey Labs. HPC also backs Brightwell Robotics.",
        {"Harbor Pine Capital": "Organization", "HPC": None},
    ),
    ("Dana Ruiz moved to Spain in 1999 and set up Corvane Enterprises (CE) in 2001.", {"CE": None}),
    # ... but two letters only in brackets right after the name
    (
        "Lumen Group makes phones. Rivals Samsung and LG cut prices.",
        {"Lumen Group": "Organization", "LG": "Organization"},
    ),
    # the active subject of "appointed ... as" is who appoints: still a company
    ("Corvane Health appointed Jane Doe as chief executive.", {"Corvane Health": "Organization", "Jane Doe": "Person"}),
    # a fronted occupation describes the subject after the comma
    (
        "A professor at Brandeis University, Antony Polonsky said the research was sound.",
        {"Antony Polonsky": "Person", "Brandeis University": "Organization"},
    ),
    # a role only a person holds, after a copula or "serve as": NER had called them companies
    ("Nadia Petrova is the co-founder and chief executive of Quorra Labs.", {"Nadia Petrova": "Person"}),
    ("Nadia Petrova has served as chief operating officer of Lumen Robotics since 2019.", {"Nadia Petrova": "Person"}),
    # a bracket NER opened inside the name and did not close: the name ends before it
    (
        "Mei Tan moved to Kenya in 2001 and set up Brightwater Enterprises (BE) in 2004.",
        {"Brightwater Enterprises": "Organization", "Brightwater Enterprises (BE": None},
    ),
    # an institution placed with "at": the name ends before it, and is no longer too long to keep
    (
        "Later he co-founded the Institute for Learning Sciences at Northwestern with Roger Schank.",
        {"Institute for Learning Sciences": "Organization", "Institute": None},
    ),
    # a legal form after words NER put in a place
    ("Las Vegas Sands Corp. owns a majority of Sands China.", {"Las Vegas Sands": "Organization"}),
    # a gallery or museum NER called a building is also an employer
    (
        "Before joining Osprey Labs she worked at the Walters Art Gallery for six years.",
        {"Walters Art Gallery": "Organization"},
    ),
    # a name ending in a business word NER called a person
    ("Tervo Mobility said on Monday it would cut prices.", {"Tervo Mobility": "Organization"}),
    # a job title NER called a company
    (
        "Mara Quist was Vice President and General Counsel at Aseptic Solutions until 2019.",
        {"General Counsel": None, "Aseptic Solutions": "Organization", "Mara Quist": "Person"},
    ),
    # a range of two names: NER ran them together, or ran the first into "to"
    ("Their models now run everything from Search to Maps.", {"Search to Maps": None}),
    ("The models sit behind products from Search to Workspace.", {"Search to": None}),
    # a letter after a hyphen closes a product's name; it is not the company X
    ("Nvidia's Spectrum-X networking platform connects the servers.", {"X": None, "Spectrum-X": "Product"}),
    # "-powered" makes an adjective of a name, not a longer name
    ("Klarna's GPT-4-powered assistant now answers most of its chats.", {"GPT-4-powered": None, "GPT-4": "AIModel"}),
    # ... or after a capitalized name word
    ("Naver's search engine now leans on HyperCLOVA X to answer questions.", {"X": None}),
    # an adjective NER took into a name ("-owned", "-led"), often calling it a person
    (
        "Haptik, a Reliance Jio-owned chatbot firm, is hiring engineers.",
        {"Reliance Jio-owned": None, "Reliance Jio": "Organization"},
    ),
    ("The Musk-led company raised money.", {"Musk-led": None}),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_repaired_names_and_types(extractor, text, expected):
    ents, _ = _extract(extractor, text)
    assert {n: ents.get(n) for n in expected} == expected, ents


# (text, a relation the repair makes possible)
RELATIONS = [
    ("Corvane Mobility LLC is a subsidiary of Dastra Inc.", ("Corvane Mobility", "subsidiaryOf", "Dastra")),
    (
        "Gildo Pallanca Pastor (born 1 April 1967) is a Monegasque businessman, CEO and owner of Venturi Automobiles.",
        ("Gildo Pallanca Pastor", "leads", "Venturi Automobiles"),
    ),
    (
        "Osk Delvan is a Dutch composer. He worked at Tervo Labs from 1994 to 2000.",
        ("Osk Delvan", "worksFor", "Tervo Labs"),
    ),
    ("Nadia Petrova is the co-founder and chief executive of Quorra Labs.", ("Nadia Petrova", "leads", "Quorra Labs")),
    (
        "Dana Ruiz moved to Spain in 1999 and set up Corvane Enterprises (CE) in 2001.",
        ("Dana Ruiz", "founded", "Corvane Enterprises"),
    ),
    (
        "Harbor Pine Capital (HPC) invested in Osprey Labs. HPC also backs Brightwell Robotics.",
        ("Harbor Pine Capital", "investsIn", "Brightwell Robotics"),
    ),
    (
        "Later he co-founded the Institute for Learning Sciences at Northwestern with Roger Schank.",
        ("Roger Schank", "founded", "Institute for Learning Sciences"),
    ),
]


@pytest.mark.parametrize(("text", "triple"), RELATIONS)
def test_a_repaired_name_takes_its_relation(extractor, text, triple):
    _, rels = _extract(extractor, text)
    assert triple in rels, rels


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        # an organization's own head word keeps it one, whatever the apposition says
        ("Vantel Systems is a writer of payroll software.", "Vantel Systems", "Organization"),
        # a place ending in an organization word stays a place
        ("Protests spread across the West Bank on Friday.", "West Bank", None),
        # a ticker in brackets is no nickname, and a title is no part of a name
        ("Dastra (DSTR) Chief Executive Lena Brandt said sales rose.", "Lena Brandt", "Person"),
        ("Dastra (DSTR) Chief Executive Lena Brandt said sales rose.", "Dastra", "Organization"),
    ],
)
def test_what_the_repairs_leave_alone(extractor, text, name, kind):
    ents, _ = _extract(extractor, text)
    assert ents.get(name) == kind, ents
