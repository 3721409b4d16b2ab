"""The look of the network page: colours, shapes, sizes, hover texts, and the script's assets.

Entity colours and shapes by type, edge colours by predicate, community colours, the
ended style, node and label sizes, the hover text of nodes and edges, the JSON that is
safe inside a ``<script>`` block (:func:`script_json`), and where vis-network's JS and
CSS are found (:func:`vis_asset_dir`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: colour and vis-network shape per entity type; None is an untyped entity.
TYPE_STYLE: dict[str | None, tuple[str, str]] = {
    "Organization": ("#4e79a7", "dot"),
    "Person": ("#f28e2b", "diamond"),
    "AIModel": ("#59a14f", "triangle"),
    "Product": ("#b07aa1", "square"),
    None: ("#9d9d9d", "dot"),
}

#: Edge colour per predicate: 13 colours that stay apart for the common colour-vision
#: deficiencies (Paul Tol's "muted" scheme and the Okabe-Ito colours), none of them the
#: ended grey. Families stay near each other: greens and blues cooperate, reds and purples
#: conflict, the rest are structure.
PREDICATE_COLOR: dict[str, str] = {
    "partnersWith": "#117733",  # green
    "investsIn": "#44aa99",  # teal
    "suppliesTo": "#999933",  # olive
    "uses": "#88ccee",  # cyan
    "competesWith": "#cc6677",  # rose
    "disputesWith": "#882255",  # wine
    "sues": "#d55e00",  # vermillion
    "subsidiaryOf": "#332288",  # indigo
    "acquires": "#aa4499",  # purple
    "founded": "#e69f00",  # orange
    "leads": "#0072b2",  # blue
    "worksFor": "#ddcc77",  # sand
    "develops": "#661100",  # brown
}
#: Node colours by community (the biggest first); communities past the palette, and
#: those of one or two entities, are grey.
COMMUNITY_COLORS = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#ee8866",
    "#44bb99",
    "#bbcc33",
    "#994455",
)
SMALL_COMMUNITY_COLOR = "#c8c8c8"
#: An ended relation (over by the day shown, docs/TIME.md): a pale grey in short dots,
#: whatever its predicate, apart from a hedged one's predicate colour in long dashes.
ENDED_COLOR = "#b8b8b8"
ENDED_DASHES = [2, 6]

#: Node sizes and label sizes in pixels at zoom 1, smallest to largest (by degree).
NODE_SIZE = (8.0, 30.0)
LABEL_SIZE = (12.0, 26.0)


def _node_color(color: str) -> dict[str, Any]:
    """Return vis-network's colour object for a node of this colour."""
    return {
        "background": color,
        "border": _darker(color),
        "highlight": {"background": color, "border": "#000000"},
        "hover": {"background": color, "border": "#000000"},
    }


def _darker(color: str) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * 0.7):02x}{int(g * 0.7):02x}{int(b * 0.7):02x}"


def _node_title(label: str, etype: str | None, aliases: list[str], wikidata: str | None, degree: int) -> str:
    lines = [label, f"Type: {etype or 'unknown'}"]
    if aliases:
        lines.append("Aliases: " + ", ".join(aliases[:8]) + (" ..." if len(aliases) > 8 else ""))
    lines.append(f"Wikidata: {wikidata or 'none'}")
    lines.append(f"Relations: {degree}")
    return "\n".join(lines)


def _edge_title(a: str, pred: str, b: str, d: Mapping[str, Any]) -> str:
    sources = int(d.get("sources") or 1)
    lines = [f"{a} {pred} {b}", f"{sources} source{'s' if sources != 1 else ''}"]
    if d.get("first"):
        lines.append(f"{d['first']} to {d['last']}" if d.get("last") and d["last"] != d["first"] else d["first"])
    if d.get("confidence") is not None:
        lines.append(f"confidence {d['confidence']:.2f}")
    if d.get("hedged"):
        lines.append("hedged (reported, not confirmed)")
    state = state_line(bool(d.get("ended")), d.get("start_date"), d.get("end_date"))
    if state:
        lines.append(state)
    return "\n".join(lines)


def state_line(ended: bool, start_date: str | None, end_date: str | None) -> str:
    """Return the last line of an edge's hover text: when it began, or that it ended and when.

    The page's script writes the same line when the as-of slider changes the state.
    """
    if ended:
        return "ended" + (f" {end_date}" if end_date else "") + (f" (since {start_date})" if start_date else "")
    return f"since {start_date}" if start_date else ""


def script_json(data: object) -> str:
    """Return JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes (so ``</script>`` and ``<!--``
    cannot end or change the element), and U+2028/U+2029 are escaped for old JS parsers.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


#: The vis-network release pyvis ships, and its two files.
VIS_VERSION = "9.1.2"
VIS_JS = "vis-network.min.js"
VIS_CSS = "vis-network.css"


def vis_asset_dir() -> Path:
    """Return the directory of vis-network's JS and CSS inside the installed pyvis."""
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
