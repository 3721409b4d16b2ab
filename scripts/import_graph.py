"""Print the import graph between aikg's packages, its module cycles and the largest modules.

Run from the checkout: ``python scripts/import_graph.py [-v]``; ``-v`` lists every import
that crosses from one package into another. docs/ARCHITECTURE.md quotes its output.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import grimp
import networkx as nx

PACKAGES = ["aikg", "api", "ingest", "kg", "ontology"]


def _crossing(graph: grimp.ImportGraph, source: str, target: str) -> set[tuple[str, str]]:
    found = set()
    for importer in (source, f"{source}.**"):
        for imported in (target, f"{target}.**"):
            for imp in graph.find_matching_direct_imports(import_expression=f"{importer} -> {imported}"):
                found.add((imp["importer"], imp["imported"]))
    return found


def main(verbose: bool = False) -> None:
    """Print the package edges, the cycles and the ten largest modules."""
    graph = grimp.build_graph(*PACKAGES)
    edges = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    print(f"modules: {len(graph.modules)}, imports between them: {edges.number_of_edges()}")
    for source, target in itertools.permutations(PACKAGES, 2):
        found = _crossing(graph, source, target)
        if found:
            print(f"{source} -> {target}: {len(found)} imports in {len({a for a, _ in found})} modules")
            if verbose:
                for importer, imported in sorted(found):
                    print(f"    {importer} -> {imported}")
    cycles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    print(f"module cycles: {len(cycles)}")
    for cycle in cycles:
        print(f"    {len(cycle)} modules: {', '.join(cycle)}")
    sizes = sorted(
        ((sum(1 for _ in p.open(encoding="utf-8")), str(p)) for pkg in PACKAGES for p in Path(pkg).rglob("*.py")),
        reverse=True,
    )
    print("largest modules (lines):")
    for lines, path in sizes[:10]:
        print(f"    {lines:5d} {path}")


if __name__ == "__main__":
    main(verbose="-v" in sys.argv[1:])
