"""Check the shipped AI-industry gazetteer (ingest/data/gazetteer.jsonl) as plain data."""

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ingest.entities import name_key
from kg.model import ENTITY_TYPES

GAZETTEER = Path(__file__).resolve().parents[2] / "ingest" / "data" / "gazetteer.jsonl"
QID = re.compile(r"^Q[1-9][0-9]*$")
REQUIRED_KEYS = {"name", "type", "wikidata", "aliases"}
ALLOWED_KEYS = REQUIRED_KEYS | {"descriptors", "units", "established"}

# Lower-case ordinary words and first names that must never be a surface form:
# the EntityRuler would fire on them in ordinary prose.
FORBIDDEN_SURFACES = {
    "apple",
    "meta",
    "the",
    "a",
    "sam",
    "mark",
    "elon",
    "claude",
    "grok",
    "llama",
    "company",
    "startup",
    "model",
    "cursor",
    "windows",
    "runway",
    "magic",
    "figure",
    "cognition",
    "adept",
    "inflection",
    "harvey",
    "sierra",
    "writer",
    "together",
    "lambda",
    "moonshot",
    "the company",
    "the startup",
}

# Keys that name_key cannot keep apart (none left since "+" reads as "plus").
KNOWN_KEY_CLASHES: set[str] = set()

# Entries the extraction pipeline and the sample corpus rely on. Each id was
# cross-checked against public sources that cite it (most against several); None
# marks an entry whose id could not be confirmed and is deliberately left empty.
MUST_HAVE = [
    ("OpenAI", "Organization", "Q21708200"),
    ("Anthropic", "Organization", "Q116758847"),
    ("Google DeepMind", "Organization", "Q15733006"),
    ("Mistral AI", "Organization", "Q119718658"),
    ("xAI", "Organization", "Q120599684"),
    ("Hugging Face", "Organization", "Q108943604"),
    ("Perplexity", "Organization", "Q124333951"),
    ("Microsoft", "Organization", "Q2283"),
    ("Nvidia", "Organization", "Q182477"),
    ("Google", "Organization", "Q95"),
    ("Alphabet", "Organization", "Q20800404"),
    ("Amazon", "Organization", "Q3884"),
    ("Amazon Web Services", "Organization", "Q456157"),
    ("Apple", "Organization", "Q312"),
    ("Meta", "Organization", "Q380"),
    ("IBM", "Organization", "Q37156"),
    ("Oracle", "Organization", "Q19900"),
    ("Intel", "Organization", "Q248"),
    ("AMD", "Organization", "Q128896"),
    ("TSMC", "Organization", "Q713418"),
    ("Samsung Electronics", "Organization", "Q20718"),
    ("ByteDance", "Organization", "Q55606242"),
    ("SoftBank", "Organization", "Q201653"),
    ("Tesla", "Organization", "Q478214"),
    ("Andreessen Horowitz", "Organization", "Q4034010"),
    ("Sequoia Capital", "Organization", "Q1852025"),
    ("The New York Times", "Organization", "Q9684"),
    ("European Commission", "Organization", "Q8880"),
    ("Securities and Exchange Commission", "Organization", "Q953944"),
    ("United States Department of Justice", "Organization", "Q1553390"),
    ("Sam Altman", "Person", "Q7407093"),
    ("Dario Amodei", "Person", "Q103335665"),
    ("Ilya Sutskever", "Person", "Q21712134"),
    ("Elon Musk", "Person", "Q317521"),
    ("Satya Nadella", "Person", "Q7426870"),
    ("Mark Zuckerberg", "Person", "Q36215"),
    ("Sundar Pichai", "Person", "Q3503829"),
    ("Jensen Huang", "Person", "Q305177"),
    ("Demis Hassabis", "Person", "Q3022141"),
    ("Yann LeCun", "Person", "Q3571662"),
    ("ChatGPT", "Product", "Q115564437"),
    ("Microsoft Azure", "Product", "Q725967"),
    ("Microsoft Copilot", "Product", "Q116793893"),
    ("Gemini app", "Product", "Q116698014"),
    ("GPT-4", "AIModel", "Q116709136"),
    ("Claude", "AIModel", "Q118876059"),
    ("Gemini", "AIModel", "Q123688361"),
    ("Llama", "AIModel", "Q116894231"),
    ("Grok", "AIModel", "Q123361035"),
    ("GPT-4o", "AIModel", None),
    ("Stargate", "Organization", None),
    ("Federal Trade Commission", "Organization", None),
    ("H100", "Product", None),
    ("GitHub Copilot", "Product", None),
]

# Surface forms whose owner was a deliberate choice between candidates.
RESOLVED_SURFACES = [
    ("DeepMind", "Google DeepMind"),
    ("Facebook", "Meta"),
    ("Bard", "Gemini app"),
    ("Copilot", "Microsoft Copilot"),
    ("Azure", "Microsoft Azure"),
    ("AWS", "Amazon Web Services"),
    ("a16z", "Andreessen Horowitz"),
    ("Twitter", "X"),
    ("Codeium", "Windsurf"),
    ("o1", "OpenAI o1"),
    ("FTC", "Federal Trade Commission"),
    ("Grok 3", "Grok 3"),
    ("GB200", "Grace Blackwell"),
    ("Altman", "Sam Altman"),
]


@pytest.fixture(scope="module")
def entries():
    """Parse every line of the gazetteer once for the module."""
    records = []
    with GAZETTEER.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            assert line.strip(), f"blank line {number}"
            records.append((number, json.loads(line)))
    return records


@pytest.fixture(scope="module")
def by_name(entries):
    """Index the entries by canonical name."""
    return {record["name"]: record for _, record in entries}


@pytest.fixture(scope="module")
def surface_owner(entries):
    """Map every case-folded name and alias to the entry that owns it."""
    owners = {}
    for _, record in entries:
        for surface in [record["name"], *record["aliases"]]:
            owners.setdefault(surface.casefold(), record["name"])
    return owners


def test_every_line_has_the_expected_shape(entries):
    for number, record in entries:
        assert isinstance(record, dict), f"line {number} is not an object"
        keys = set(record)
        assert REQUIRED_KEYS <= keys, f"line {number} lacks {REQUIRED_KEYS - keys}"
        assert keys <= ALLOWED_KEYS, f"line {number} has unknown keys {keys - ALLOWED_KEYS}"
        assert isinstance(record["name"], str) and record["name"].strip() == record["name"] != ""
        assert record["type"] in ENTITY_TYPES, f"line {number}: bad type {record['type']!r}"
        qid = record["wikidata"]
        assert qid is None or (isinstance(qid, str) and QID.match(qid)), f"line {number}: {qid!r}"
        for field in ("aliases", "descriptors"):
            values = record.get(field, [])
            assert isinstance(values, list), f"line {number}: {field} is not a list"
            for value in values:
                assert isinstance(value, str) and value.strip() == value != "", (number, value)


def test_no_surface_form_belongs_to_two_entries(entries):
    owners = defaultdict(set)
    for _, record in entries:
        for surface in [record["name"], *record["aliases"]]:
            owners[surface.casefold()].add(record["name"])
    clashes = {surface: names for surface, names in owners.items() if len(names) > 1}
    assert clashes == {}


def test_no_two_entries_share_a_lookup_key(entries):
    # The loader folds every surface through name_key (case, accents, punctuation,
    # corporate suffixes) and keeps the first owner of a key, so a clash here would
    # silently send one entry's mentions to another.
    owners = defaultdict(set)
    for _, record in entries:
        for surface in [record["name"], *record["aliases"]]:
            owners[name_key(surface)].add(record["name"])
    clashes = {key: names for key, names in owners.items() if len(names) > 1}
    assert clashes.keys() <= KNOWN_KEY_CLASHES, clashes
    assert "" not in owners


def test_alexa_plus_keeps_its_own_key():
    assert name_key("Alexa+") != name_key("Alexa")


def test_names_are_unique(entries):
    counts = Counter(record["name"] for _, record in entries)
    assert [name for name, count in counts.items() if count > 1] == []


def test_wikidata_ids_are_unique(entries):
    counts = Counter(record["wikidata"] for _, record in entries if record["wikidata"])
    assert [qid for qid, count in counts.items() if count > 1] == []


def test_descriptors_are_unambiguous_and_bare(entries):
    owners = defaultdict(set)
    for _, record in entries:
        for descriptor in record.get("descriptors", []):
            assert not descriptor.lower().startswith("the "), descriptor
            owners[descriptor.casefold()].add(record["name"])
    assert {d: n for d, n in owners.items() if len(n) > 1} == {}


def test_units_name_organizations_of_their_own(entries, by_name):
    # "units" maps the words before a unit noun ("Microsoft's AI division") to the
    # unit's own entry: an organization, never the parent itself
    seen = 0
    for number, record in entries:
        units = record.get("units")
        if units is None:
            continue
        assert isinstance(units, dict) and units, f"line {number}: units is not a non-empty object"
        assert record["type"] == "Organization", f"line {number}: only an organization has units"
        for modifier, unit in units.items():
            assert modifier == modifier.strip().lower() != "", (number, modifier)
            assert unit in by_name, f"line {number}: unit {unit!r} has no entry"
            assert by_name[unit]["type"] == "Organization" and unit != record["name"], (number, unit)
            seen += 1
    assert seen > 0


def test_established_marks_only_organizations_and_is_only_ever_true(entries):
    # "established": true keeps "the startup" from standing for a long-established company
    marked = {record["name"] for _, record in entries if "established" in record}
    for number, record in entries:
        if "established" in record:
            assert record["established"] is True, f"line {number}: established is only ever true"
            assert record["type"] == "Organization", f"line {number}: only an organization is established"
    assert {"Microsoft", "Google", "Amazon", "Nvidia"} <= marked
    assert not marked & {"OpenAI", "Anthropic", "Mistral AI", "Inflection AI"}


def test_no_ordinary_word_is_a_surface_form(entries):
    for _, record in entries:
        for surface in [record["name"], *record["aliases"]]:
            assert surface not in FORBIDDEN_SURFACES, (record["name"], surface)
            assert surface.casefold() not in {"the company", "the startup"}


def test_size_and_type_coverage(entries):
    assert len(entries) >= 450
    counts = Counter(record["type"] for _, record in entries)
    for entity_type in ENTITY_TYPES:
        assert counts[entity_type] >= 40, (entity_type, counts[entity_type])


@pytest.mark.parametrize(("name", "entity_type", "qid"), MUST_HAVE)
def test_must_have_entry(by_name, name, entity_type, qid):
    assert name in by_name, f"{name} missing"
    assert by_name[name]["type"] == entity_type
    assert by_name[name]["wikidata"] == qid


@pytest.mark.parametrize(("surface", "owner"), RESOLVED_SURFACES)
def test_ambiguous_surface_resolves_to_chosen_entry(surface_owner, surface, owner):
    assert surface_owner.get(surface.casefold()) == owner
