"""Render the network page: one Jinja template for the served /graph page and the ``aikg viz`` file.

The page is ``api/templates/graph.html`` with its script in ``api/static/graph.js`` and
its style in the "graph page" section of ``api/static/style.css``. Served, the page links
those files and vis-network's (from :data:`api.routes.graph.VIS_PATH`); as a file
(``standalone``), the same template inlines all four, so the file opens offline and
fetches nothing. Every string from the data reaches the page as JSON in two
``<script type="application/json">`` blocks (:func:`kg.viz.script_json`), and the
template's own text is escaped by Jinja's autoescape.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kg.model import ENTITY_TYPES, PREDICATES
from kg.viz import DEFAULT_LIMIT, VIS_CSS, VIS_JS, View, script_json, vis_asset_dir

_HERE = Path(__file__).resolve().parent
STATIC = _HERE / "static"

#: The policy of the standalone file: everything it needs is inline, nothing is fetched.
FILE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'"
)


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """Return the template environment (autoescape on for .html, as the other pages)."""
    env = Environment(
        loader=FileSystemLoader(str(_HERE / "templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    assert env.autoescape  # noqa: S101 - the page's safety rests on it
    return env


def _inlinable(text: str, what: str) -> Markup:
    """Return code to inline in a <script> or <style> element.

    Raises:
        RuntimeError: the code holds a closing tag, which would end the element early.
    """
    if re.search(r"</(script|style)", text, re.I):
        raise RuntimeError(f"{what} contains a closing tag and cannot be inlined")
    return Markup(text)  # noqa: S704 - code shipped with the package, checked above


@functools.lru_cache(maxsize=1)
def inline_assets() -> dict[str, Markup]:
    """Return the page's script and style and vis-network's, as the standalone file inlines them."""
    lib = vis_asset_dir()
    return {
        "vis_js": _inlinable((lib / VIS_JS).read_text(encoding="utf-8"), VIS_JS),
        "vis_css": _inlinable((lib / VIS_CSS).read_text(encoding="utf-8"), VIS_CSS),
        "page_js": _inlinable((STATIC / "graph.js").read_text(encoding="utf-8"), "graph.js"),
        "page_css": _inlinable((STATIC / "style.css").read_text(encoding="utf-8"), "style.css"),
    }


def render_graph_page(
    view: View,
    *,
    title: str = "aikg graph",
    standalone: bool = True,
    entity_base: str | None = None,
    form_action: str = "",
    assets_url: str | None = None,
    default_min_confidence: float | None = None,
    max_limit: int | None = None,
    default_limit: int = DEFAULT_LIMIT,
) -> str:
    """Return the whole network page for a view.

    Args:
        view: from :func:`kg.viz.build_view`.
        title: the page heading.
        standalone: True for a file: vis-network, the page's script and style are
            inlined, a CSP ``<meta>`` allows only them, filters apply in the page and
            are kept in the URL's ``#`` part. False when served: the files are linked
            (the server sends the CSP) and the filter form asks the server again.
        entity_base: prefix of entity page links (``/entity/``); None shows no link.
        form_action: where the served filter form submits (the page's own path).
        assets_url: where vis-network's files are served (``/static/vis-9.1.2``);
            needed when not standalone.
        default_min_confidence: the threshold a URL without ``min_confidence`` gets
            (the server's default); links made by the page name any other. None: the
            view's own threshold.
        max_limit: the most entities the server draws ("show all" asks for them);
            None in a file, which holds what it holds.
        default_limit: the ``limit`` a URL without one gets; links made by the page
            name any other.

    Returns:
        HTML text.

    Raises:
        ValueError: a served page without ``assets_url``.
    """
    if not standalone and not assets_url:
        raise ValueError("a served page needs assets_url")
    if default_min_confidence is None:
        default_min_confidence = float(view.filters.get("min_confidence") or 0.0)
    config = {
        "standalone": standalone,
        "entityBase": entity_base,
        "predicates": list(PREDICATES),
        "types": list(ENTITY_TYPES),
        "defaultMinConfidence": float(default_min_confidence),
        "defaultLimit": int(default_limit),
        "maxLimit": max_limit,
        "neighboursUrl": None if standalone else form_action.rstrip("/") + "/neighbours",
    }
    shown = len(view.nodes)
    summary = f"{shown:,} entities, {len(view.edges):,} relations" + (
        "" if shown >= view.total_entities else f" (of {view.total_entities:,} entities)"
    )
    filters = view.filters
    context = {
        "title": title,
        "standalone": standalone,
        "summary": summary,
        "notes": view.notes,
        "filters": filters,
        "form_action": form_action,
        "assets_url": (assets_url or "").rstrip("/"),
        "file_csp": Markup(FILE_CSP),
        "legend": view.legend,  # noqa: S704 - our constant, no quote
        "types": list(ENTITY_TYPES),
        "checked_predicates": set(filters.get("predicates") or []) or set(PREDICATES),
        "checked_types": set(filters.get("types") or []) or set(ENTITY_TYPES),
        "default_limit": int(default_limit),
        "default_min_confidence": float(default_min_confidence),
        # Markup: already escaped for a <script> element by script_json.
        "data_json": Markup(script_json(view.to_dict())),  # noqa: S704
        "config_json": Markup(script_json(config)),  # noqa: S704
    }
    if standalone:
        context.update(inline_assets())
    return environment().get_template("graph.html").render(context)
