"""HTML pages: home, entity, article, search and the SPARQL editor.

Jinja2 autoescaping is on for every template: labels, sentences, titles and urls come
from news articles and are untrusted. The pages load nothing from outside the server,
and their Content-Security-Policy says so.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from api.deps import AsOfDep, MinConfidenceDep, StoreDep, projection
from api.httplayer import page_headers
from api.linked import Format, choose, negotiation_headers, rdf_response, split_suffix
from api.sparql import NotAcceptableError
from kg import describe, reader
from kg import graphdata as data
from kg.analytics import centrality
from kg.errors import NotFoundError
from kg.model import PREDICATES
from kg.namespaces import ARTICLE, ENTITY, PREFIXES, sparql_prologue

router = APIRouter(include_in_schema=False)

_HERE = Path(__file__).resolve().parent.parent
# The pages' own script and styles are files under /static; nothing inline, nothing remote.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The vendored SPARQL editor's result table (the column-resizer inside yasgui.min.js) adds
# two fixed <style> elements when it draws; /query allows exactly those by their hashes
# (tests/api/test_query_editor.py recomputes them from the bundle), no other inline style.
YASGUI_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)
QUERY_CSP = CSP.replace("style-src 'self';", "style-src 'self' " + " ".join(YASGUI_STYLE_HASHES) + ";")

_EXAMPLE = (
    sparql_prologue()
    + """
SELECT ?investor ?target (COUNT(DISTINCT ?article) AS ?sources) WHERE {
  ?st rdf:subject ?investor ; rdf:predicate aikg:investsIn ; rdf:object ?target ;
      prov:wasDerivedFrom ?article .
}
GROUP BY ?investor ?target
ORDER BY DESC(?sources)
LIMIT 50
"""
)


@functools.lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """Return the template environment (autoescape on for .html)."""
    t = Jinja2Templates(directory=str(_HERE / "templates"))
    assert t.env.autoescape  # noqa: S101 - the pages' safety rests on it
    return t


def render(request: Request, name: str, status: int = 200, csp: str = CSP, **context: object) -> HTMLResponse:
    """Render a page with the security headers every page carries."""
    resp = templates().TemplateResponse(request, name, context, status_code=status)
    resp.headers.update(page_headers(csp))
    return resp


def json_for_script(value: object) -> Markup:
    """Return JSON safe inside a <script type="application/json"> element."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - every '<', '>' and '&' is escaped above


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> HTMLResponse:
    """Return the overview page."""
    from kg.stats import store_stats

    stats = store_stats(store)
    G = projection(request, store)
    top = [
        {"entity": data.node_ref(G, r["id"]), "type_label": r.get("type") or ""} for r in centrality(G, "degree", 15)
    ]
    articles = data.list_articles(store, 10, 0)
    return render(request, "home.html", stats=stats, top=top, articles=articles)


def pick_format(request: Request, name: str, base: str) -> tuple[str, Format, str] | Response:
    """Return the resource name, the format to answer in and the resource's path, or a 406.

    A suffix (``microsoft.ttl``) decides the format; without one the Accept header does.
    """
    stem, fmt = split_suffix(name)
    path = f"{base}/{quote(stem, safe='')}"
    if fmt is None:
        try:
            fmt = choose(request.headers.get("accept"))
        except NotAcceptableError as exc:
            return PlainTextResponse(f"{exc}\n", status_code=406, headers=negotiation_headers(path))
    return stem, fmt, path


def _rdf_or_404(fmt: Format, path: str, build: Callable[[], list[ox.Triple]]) -> Response:
    """Return the triples ``build`` gives as RDF, or a one-line 404 when the resource does not exist."""
    try:
        triples = build()
    except NotFoundError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=404, headers=negotiation_headers(path))
    return rdf_response(triples, fmt, path)


#: schema.org types for the entity classes, for the JSON-LD block crawlers read.
SCHEMA_TYPES = {
    "Organization": "Organization",
    "Person": "Person",
    "AIModel": "SoftwareApplication",
    "Product": "Product",
}


def entity_jsonld(e: dict[str, Any], url: str) -> dict[str, Any]:
    """Return the schema.org description of an entity that its page embeds.

    The context is written out (``@vocab``) rather than fetched from schema.org, so any
    JSON-LD processor reads it without a network request.
    """
    doc: dict[str, Any] = {
        "@context": {"@vocab": "https://schema.org/"},
        "@type": SCHEMA_TYPES.get(e.get("type") or "", "Thing"),
        "@id": e["iri"],
        "name": e["label"],
        "url": url,
    }
    if e.get("aliases"):
        doc["alternateName"] = list(e["aliases"])
    if e.get("wikidata_url"):
        doc["sameAs"] = [e["wikidata_url"]]
    return doc


@router.get("/entity/{slug}", response_class=HTMLResponse)
def entity_page(
    slug: str, request: Request, store: StoreDep, min_confidence: MinConfidenceDep, as_of: AsOfDep = None
) -> Response:
    """Return an entity's page, or its RDF description (by Accept header or suffix).

    The page shows facts, ego network, relations grouped by predicate and direction. With
    ``as_of`` the relations are as they stood on that day (docs/TIME.md); the ones that were
    over by then are listed under "Past". The RDF is :func:`kg.describe.describe_entity`.
    """
    picked = pick_format(request, slug, "/entity")
    if isinstance(picked, Response):
        return picked
    slug, fmt, path = picked
    from kg.curation import merged_into  # a merged entity's page is the one it was merged into

    target = merged_into(store, slug)
    if target is not None:
        suffix = request.url.path.removeprefix(f"/entity/{slug}")
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/entity/{target}{suffix}{query}", status_code=301)
    if fmt.rdf is not None:
        return _rdf_or_404(fmt, path, lambda: describe.describe_entity(store, slug))
    headers = negotiation_headers(path)
    try:
        e = data.get_entity(store, slug, min_confidence=min_confidence, as_of=as_of)
    except NotFoundError as exc:
        return _with(render(request, "missing.html", 404, message=str(exc)), headers)
    current = [r for r in e["relations"] if not r["ended"]]
    past = [r for r in e["relations"] if r["ended"]]
    # The relations curators took out (with who and why), and the entities merged into this one.
    from kg.curation_view import merged_entities, rejected_relations

    rejected = rejected_relations(store, slug)
    merged = merged_entities(store, slug)
    keep = {"min_confidence": request.query_params.get("min_confidence", "")}
    jsonld = json_for_script(entity_jsonld(e, str(request.url_for("entity_page", slug=slug))))
    return _with(
        render(
            request,
            "entity.html",
            e=e,
            current=current,
            past=past,
            min_confidence=min_confidence,
            as_of=as_of,
            keep=keep,
            groups=reader.relation_groups(e["relations"]),
            ego=reader.ego_network(e, e["relations"]),
            jsonld=jsonld,
            rejected=rejected,
            merged=merged,
            predicates=PREDICATES,
        ),
        headers,
    )


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, request: Request, store: StoreDep, min_confidence: MinConfidenceDep) -> Response:
    """Return an article's page (its text beside its relations), or its RDF by Accept header or suffix."""
    picked = pick_format(request, article_id, "/article")
    if isinstance(picked, Response):
        return picked
    article_id, fmt, path = picked
    if fmt.rdf is not None:
        return _rdf_or_404(fmt, path, lambda: describe.describe_article(store, article_id))
    headers = negotiation_headers(path)
    a: dict[str, Any] | None
    try:
        a = reader.article_view(store, article_id, min_confidence=min_confidence)
    except NotFoundError as exc:
        from kg.curation_view import curation_source  # the source of a relation a curator added

        a = curation_source(store, article_id)
        if a is None:
            return _with(render(request, "missing.html", 404, message=str(exc)), headers)
    return _with(render(request, "article.html", a=a, min_confidence=min_confidence), headers)


@router.get("/statement/{digest}")
def statement_resource(digest: str, request: Request, store: StoreDep) -> Response:
    """Return a statement's RDF; a browser is sent (303) to the page of the article it comes from."""
    picked = pick_format(request, digest, "/statement")
    if isinstance(picked, Response):
        return picked
    digest, fmt, path = picked
    try:
        triples = describe.describe_statement(store, digest)
    except NotFoundError as exc:
        if fmt.rdf is None:
            return _with(render(request, "missing.html", 404, message=str(exc)), negotiation_headers(path))
        return PlainTextResponse(f"{exc}\n", status_code=404, headers=negotiation_headers(path))
    if fmt.rdf is not None:
        return rdf_response(triples, fmt, path)
    article = describe.statement_article(triples) or ""
    target = "/article/" + quote(article.rsplit("/", 1)[-1], safe="") if article else "/"
    return RedirectResponse(target, status_code=303, headers=negotiation_headers(path))


def _with(resp: Response, headers: dict[str, str]) -> Response:
    resp.headers.update(headers)
    return resp


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Return entity search results as a page."""
    items, total = data.search_entities(store, q, None, 50, 0) if q.strip() else ([], 0)
    return render(request, "search.html", q=q, items=items, total=total)


@router.get("/query", response_class=HTMLResponse)
def query_page(request: Request, query: Annotated[str | None, Query(max_length=100_000)] = None) -> HTMLResponse:
    """Return the SPARQL editor."""
    from kg.queries import list_queries

    queries = [q.to_dict() for q in list_queries()]
    return render(
        request,
        "query.html",
        csp=QUERY_CSP,
        queries=queries,
        queries_json=json_for_script(queries),
        prefixes=list(PREFIXES),
        vocabulary_json=json_for_script(editor_vocabulary()),
        initial=query or _EXAMPLE.strip(),
    )


@functools.lru_cache(maxsize=1)
def editor_vocabulary() -> dict[str, Any]:
    """Return what the SPARQL editor completes: the project's prefixes and the ontology's terms.

    The editor offers these from the page itself; it asks no prefix service.
    """
    from ontology import NAMESPACE, load_ontology

    terms = sorted(
        {
            "aikg:" + str(s)[len(NAMESPACE) :]
            for s in load_ontology().subjects()
            if str(s).startswith(NAMESPACE) and len(str(s)) > len(NAMESPACE)
        }
    )
    return {"prefixes": dict(PREFIXES), "terms": terms, "entity": ENTITY, "article": ARTICLE}


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Return the site icon (browsers ask for it on every page; a 404 would fill the logs)."""
    return FileResponse(
        _HERE / "static" / "favicon.ico", media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"}
    )
