"""The data of the interactive network page: selection, layout, evidence, JSON for its script.

This package decides what a page shows (:class:`View`, :func:`build_view`,
:func:`view_from_store`) and where it is drawn (:func:`spring_positions`); the page
itself (template, script, style) lives in ``api``: :func:`api.render.render_graph_page`
renders ``api/templates/graph.html`` for the served /graph page and, with everything
inlined, for the file ``aikg viz`` writes. Neither makes a request beyond its own server.

Every string that comes from the data (names, sentences, titles, URLs) is article text,
hence untrusted: it travels as JSON in a non-executable ``<script type=
"application/json">`` block, escaped by :func:`script_json` so it cannot close that
block, and the page's own JS writes it with ``textContent`` only. Labels are drawn on a
canvas.

Big graphs: without a focus the ``limit`` most central entities are kept, and above
``layout_threshold`` nodes the layout is computed here (a Fruchterman-Reingold pass in
numpy) and the browser's physics is off, so thousands of nodes draw in a second or two.

The package: :mod:`kg.viz.view` (what a page shows), :mod:`kg.viz.evidence` (its
sentences), :mod:`kg.viz.layout` (where nodes are drawn), :mod:`kg.viz.style` (colours,
hover texts, the script's assets). Every name is importable from ``kg.viz``.
"""

from __future__ import annotations

from kg.viz.layout import cached_layout, layout_scale, spring_layout, spring_positions
from kg.viz.style import (
    COMMUNITY_COLORS,
    ENDED_COLOR,
    ENDED_DASHES,
    LABEL_SIZE,
    NODE_SIZE,
    PREDICATE_COLOR,
    SMALL_COMMUNITY_COLOR,
    TYPE_STYLE,
    VIS_CSS,
    VIS_JS,
    VIS_VERSION,
    script_json,
    state_line,
    vis_asset_dir,
)
from kg.viz.view import DEFAULT_LAYOUT_THRESHOLD, DEFAULT_LIMIT, FIRST_VIEW, View, build_view, view_from_store

__all__ = [
    "TYPE_STYLE",
    "PREDICATE_COLOR",
    "COMMUNITY_COLORS",
    "SMALL_COMMUNITY_COLOR",
    "ENDED_COLOR",
    "ENDED_DASHES",
    "DEFAULT_LIMIT",
    "FIRST_VIEW",
    "DEFAULT_LAYOUT_THRESHOLD",
    "NODE_SIZE",
    "LABEL_SIZE",
    "View",
    "build_view",
    "view_from_store",
    "state_line",
    "spring_layout",
    "spring_positions",
    "layout_scale",
    "cached_layout",
    "script_json",
    "VIS_VERSION",
    "VIS_JS",
    "VIS_CSS",
    "vis_asset_dir",
]
