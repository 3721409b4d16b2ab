"""Where a network page's nodes are drawn: a force-directed layout in numpy, cached.

:func:`spring_layout` (Fruchterman-Reingold, sampled repulsion above a size), the
small components packed around the main one, and :func:`cached_layout`, which keeps
the last layouts per selection.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np


def spring_layout(
    G: nx.Graph,
    *,
    seed: int = 42,
    iterations: int = 50,
    sample: int = 300,
    scale: float | None = None,
    fixed: Mapping[str, tuple[float, float]] | None = None,
    edge_px: float = 160.0,
) -> tuple[dict[str, tuple[float, float]], float]:
    """Return a force-directed layout in page pixels (Fruchterman-Reingold, numpy).

    networkx's ``spring_layout`` needs scipy above 500 nodes and walks them in Python;
    this pass is vectorized, and above ``2 * sample`` nodes the repulsion is estimated
    each round from a random sample of nodes (scaled up), which keeps it linear.

    Args:
        G: the graph (direction and parallel edges are ignored).
        seed: the random seed, so the same graph gets the same picture.
        iterations: rounds of the simulation.
        sample: nodes the repulsion is estimated from on big graphs.
        scale: pixels per unit of the simulation; None chooses it so the median edge is
            ``edge_px`` long (:func:`layout_scale` gives it back, to lay out more nodes
            around held ones at the same scale).
        fixed: nodes that keep these positions (pixels); the others are placed around them.
        edge_px: the median edge length in pixels when ``scale`` is None.

    Returns:
        Node -> (x, y), and the pixels per unit used.

    Raises:
        ValueError: held positions without their scale.
    """
    nodes = list(G)
    n = len(nodes)
    fixed = {v: p for v, p in (fixed or {}).items() if v in G}
    if fixed and scale is None:
        raise ValueError("held positions need the scale they were laid out at")
    if n == 0:
        return {}, scale or 90.0
    if n == 1:
        return {nodes[0]: fixed.get(nodes[0], (0.0, 0.0))}, scale or 90.0
    index = {v: i for i, v in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v}
    src = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((b for _, b in pairs), dtype=np.int64, count=len(pairs))
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = (rng.random((n, 2)) - 0.5) * side
    held = np.zeros(n, dtype=bool)
    if fixed and scale is not None:  # held positions come with their scale (checked above)
        for v, (x, y) in fixed.items():
            pos[index[v]] = (x / scale, y / scale)
            held[index[v]] = True
        # The others start on the held ones' side of the plane, spread wider.
        pos[~held] *= 1.5
    # Repulsion grows with both nodes' degrees (as in ForceAtlas2): hubs keep apart and
    # gather their own neighbours around them, instead of piling up in the middle.
    mass = 1.0 + np.bincount(np.concatenate([src, dst]), minlength=n).astype(float)
    mass /= mass.mean()
    temp = side / 4
    cool = (0.02 / 4) ** (1 / max(1, iterations))
    for _ in range(iterations):
        chosen: slice | np.ndarray[Any, Any]
        if n <= 2 * sample:
            chosen = slice(None)
            factor = 1.0
        else:
            chosen = rng.choice(n, sample, replace=False)
            factor = n / sample
        others = pos[chosen]
        delta = pos[:, None, :] - others[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", delta, delta) + 1e-4
        disp = np.einsum("ijk,ij->ik", delta, mass[chosen][None, :] / d2) * (factor * mass[:, None])
        if len(src):
            diff = pos[src] - pos[dst]
            dist = np.sqrt(np.einsum("ij,ij->i", diff, diff)) + 1e-9
            pull = diff * dist[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        # A weak pull to the centre keeps components and isolated nodes on screen.
        disp -= pos * (0.05 * math.sqrt(n) / side)
        disp[held] = 0.0
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-9
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp *= cool
    _pack_components(G, nodes, index, pos, held)
    if not held.any():
        pos -= pos.mean(axis=0)
    if scale is None:
        scale = layout_scale(pos, src, dst, edge_px)
    return {
        v: (round(float(pos[i, 0]) * scale, 1), round(float(pos[i, 1]) * scale, 1)) for i, v in enumerate(nodes)
    }, scale


def spring_positions(G: nx.Graph, **kwargs: Any) -> dict[str, tuple[float, float]]:
    """Return :func:`spring_layout`'s positions alone (same arguments)."""
    return spring_layout(G, **kwargs)[0]


def layout_scale(pos: np.ndarray, src: np.ndarray, dst: np.ndarray, edge_px: float = 90.0) -> float:
    """Return the pixels per unit that make the median edge ``edge_px`` long (90 without edges)."""
    if not len(src):
        return 90.0
    diff = pos[src] - pos[dst]
    median = float(np.median(np.sqrt(np.einsum("ij,ij->i", diff, diff))))
    return edge_px / median if median > 1e-6 else 90.0


def _pack_components(
    G: nx.Graph, nodes: list[Any], index: dict[str, Any], pos: np.ndarray, held: np.ndarray, gap: float = 1.0
) -> None:
    """Move the small pieces of a graph next to its main part, in place.

    Repulsion drives a component that nothing ties to the rest far out, and fitting such
    a picture to the screen makes everything small. The biggest component (or the one
    holding the held nodes) stays; every other one that holds no held node is placed,
    biggest first, on rings around it, each at its own radius.
    """
    parts = sorted(nx.connected_components(G.to_undirected(as_view=True)), key=lambda c: (-len(c), min(c)))
    if len(parts) < 2:
        return
    movable = [np.fromiter((index[v] for v in part), dtype=np.int64) for part in parts]
    movable = [ids for ids in movable if not held[ids].any()]
    if held.any():
        anchor = np.flatnonzero(held)
    else:
        anchor, movable = movable[0], movable[1:]
    # The anchored part, and every part placed so far, are "placed".
    placed = set(anchor.tolist())
    center = pos[anchor].mean(axis=0)
    radius = float(np.sqrt(((pos[anchor] - center) ** 2).sum(axis=1)).max()) + gap
    angle, ring = 0.0, radius
    ring_width = 0.0
    for ids in movable:
        own = pos[ids] - pos[ids].mean(axis=0)
        r = float(np.sqrt((own**2).sum(axis=1)).max()) + gap / 2
        # Step along the ring by this part's width; a full turn opens the next ring.
        step = 2 * math.asin(min(1.0, r / max(ring + r, 1e-9))) * 2
        if angle + step > 2 * math.pi:
            ring += ring_width + gap
            angle, ring_width = 0.0, 0.0
            step = 2 * math.asin(min(1.0, r / max(ring + r, 1e-9))) * 2
        angle += step / 2
        spot = center + (ring + r) * np.array([math.cos(angle), math.sin(angle)])
        angle += step / 2
        ring_width = max(ring_width, 2 * r)
        pos[ids] = own + spot
        placed.update(ids.tolist())


_LAYOUTS: OrderedDict[str, tuple[dict[str, tuple[float, float]], float]] = OrderedDict()
_LAYOUTS_KEPT = 32
_LAYOUTS_LOCK = threading.Lock()


def cached_layout(
    G: nx.Graph, *, seed: int = 42, fixed: Mapping[str, tuple[float, float]] | None = None, scale: float | None = None
) -> tuple[dict[str, tuple[float, float]], float]:
    """Return :func:`spring_layout` of a graph, computed once per graph, seed and held nodes.

    The key is a digest of the nodes, the pairs they are joined by and the held positions,
    so the same selection gets the same picture without the layout being run again (the
    last 32 layouts are kept).

    Raises:
        ValueError: held positions without their scale.
    """
    h = hashlib.sha256(f"{seed}\n{scale}\n".encode())
    for v in sorted(G):
        h.update(v.encode("utf-8") + b"\0")
    h.update(b"\1")
    for a, b in sorted({(min(u, v), max(u, v)) for u, v in G.edges()}):
        h.update(a.encode("utf-8") + b"\0" + b.encode("utf-8") + b"\0")
    for v, (x, y) in sorted((fixed or {}).items()):
        h.update(f"\2{v}\0{x}\0{y}".encode())
    key = h.hexdigest()
    with _LAYOUTS_LOCK:
        if key in _LAYOUTS:
            _LAYOUTS.move_to_end(key)
            return _LAYOUTS[key]
    result = spring_layout(G, seed=seed, fixed=fixed, scale=scale)
    with _LAYOUTS_LOCK:
        _LAYOUTS[key] = result
        while len(_LAYOUTS) > _LAYOUTS_KEPT:
            _LAYOUTS.popitem(last=False)
    return result
