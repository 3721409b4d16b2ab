"""The MCP tools that read entities and relations: search, one entity, two entities, a path.

Every answer about a relation carries its evidence sentences with their article's URL
and IRI, so an assistant can cite them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from api.mcp_server.base import ToolsBase, _count, _day, _entity_ref, _evidence, _plain, _request, _view
from kg.errors import NotFoundError


class EntityTools(ToolsBase):
    """search_entities, get_entity, relations_between and shortest_path."""

    async def search_entities(self, query: str, type: str | None, limit: int) -> dict[str, Any]:
        from kg import graphdata as data
        from kg.model import ENTITY_TYPES

        if type is not None and type not in ENTITY_TYPES:
            raise ToolError(f"unknown type {type!r}; use one of: {', '.join(ENTITY_TYPES)}")
        if len(query) > 200:
            raise ToolError("query is longer than 200 characters")
        limit = _count(limit, "limit", 1, 100)
        items, total = await self._thread(lambda: data.search_entities(self.store, query, type, limit, 0))
        return {
            "total": total,
            "entities": [
                {
                    **_entity_ref(e),
                    "aliases": e.get("aliases", []),
                    "wikidata": e.get("wikidata"),
                    "match": e.get("match"),
                }
                for e in items
            ],
        }

    def _entity(
        self, text: str, name: str, *, as_of: date | None, include_ended: bool, min_confidence: float | None
    ) -> dict[str, Any]:
        from kg import graphdata as data
        from kg.namespaces import ENTITY

        iri = self._resolve(text, name)
        if not iri.startswith(ENTITY):
            raise NotFoundError(f"{name}: {text!r} is not an entity of the graph (try search_entities)")
        threshold = self.settings.min_confidence if min_confidence is None else min_confidence
        return data.get_entity(
            self.store, iri.removeprefix(ENTITY), min_confidence=threshold, as_of=as_of, include_ended=include_ended
        )

    @staticmethod
    def _relation(entity: dict[str, Any], r: dict[str, Any], evidence: int) -> dict[str, Any]:
        me, other = _entity_ref(entity), _entity_ref(r["other"])
        subject, obj = (me, other) if r["direction"] == "out" else (other, me)
        return {
            "subject": subject,
            "predicate": r["predicate"],
            "object": obj,
            "reads": f"{subject['label']} {r['predicate']} {obj['label']}",
            "ended": r["ended"],
            "start_date": r["start_date"],
            "end_date": r["end_date"],
            "first_reported": r["first"],
            "last_reported": r["last"],
            "sources": r["sources"],
            "confidence": r["confidence"],
            "evidence": _evidence(r["evidence"], evidence),
        }

    async def get_entity(
        self,
        entity: str,
        as_of: str | None,
        include_ended: bool,
        evidence_per_relation: int,
        min_confidence: float | None,
    ) -> dict[str, Any]:
        day, evidence = _view(as_of, evidence_per_relation, min_confidence)
        e = await self._thread(
            lambda: self._entity(
                entity, "entity", as_of=day, include_ended=include_ended, min_confidence=min_confidence
            )
        )
        groups: dict[str, dict[str, list[dict[str, Any]]]] = {"current": {}, "ended": {}}
        for r in e["relations"]:
            key = "ended" if r["ended"] else "current"
            groups[key].setdefault(r["predicate"], []).append(self._relation(e, r, evidence))
        return _plain(
            {
                "entity": {
                    **_entity_ref(e),
                    "aliases": e["aliases"],
                    "wikidata": e["wikidata"],
                    "wikidata_url": e["wikidata_url"],
                },
                "as_of": day,
                "relation_count": len(e["relations"]),
                "current": groups["current"],
                "ended": groups["ended"],
                "hidden_relations": e["hidden_relations"],
            }
        )

    async def relations_between(
        self,
        a: str,
        b: str,
        as_of: str | None,
        include_ended: bool,
        evidence_per_relation: int,
        min_confidence: float | None,
    ) -> dict[str, Any]:
        day, evidence = _view(as_of, evidence_per_relation, min_confidence)

        def read() -> tuple[dict[str, Any], str]:
            other = self._resolve(b, "b")
            return self._entity(a, "a", as_of=day, include_ended=include_ended, min_confidence=min_confidence), other

        e, other = await self._thread(read)
        rels = [self._relation(e, r, evidence) for r in e["relations"] if r["other"]["iri"] == other]
        out = {"a": _entity_ref(e), "b_iri": other, "relations": rels}
        if not rels:
            out["note"] = "no relation links them directly; shortest_path finds a chain through others"
        return _plain(out)

    async def shortest_path(
        self,
        from_entity: str,
        to_entity: str,
        max_length: int,
        as_of: str | None,
        include_ended: bool | None,
        evidence_per_hop: int,
    ) -> dict[str, Any]:
        import pyoxigraph as ox

        from api.deps import projection
        from kg import graphdata as data
        from kg.analytics import shortest_path
        from kg.queries import run_named

        day = _day(as_of, "as_of")
        max_length = _count(max_length, "max_length", 1, 10)
        evidence = _count(evidence_per_hop, "evidence_per_hop", 1, 10)

        def read() -> dict[str, Any]:
            a, b = self._resolve(from_entity, "from_entity"), self._resolve(to_entity, "to_entity")
            G = projection(_request(self.app), self.store, as_of=day, include_ended=include_ended)
            for iri, name in ((a, from_entity), (b, to_entity)):
                if iri not in G:
                    raise NotFoundError(
                        f"{name!r} has no relations in this graph" + (f" as of {day.isoformat()}" if day else "")
                    )
            hops = []
            for h in shortest_path(G, a, b, max_length=max_length):
                s, o = (h["from"], h["to"]) if h["direction"] == "forward" else (h["to"], h["from"])
                rows = run_named(
                    self.store, "relation-evidence", {"subject": s, "predicate": h["predicate"], "object": o}
                )
                assert isinstance(rows, ox.QuerySolutions)  # relation-evidence is a SELECT
                cited = [
                    {
                        "sentence": r["evidence"].value,
                        "url": r["url"].value if r["url"] else None,
                        "article": r["article"].value,
                        "title": r["title"].value if r["title"] else None,
                        "date": r["date"].value if r["date"] else None,
                    }
                    for r in rows
                ]
                subject, obj = data.node_ref(G, s), data.node_ref(G, o)
                hops.append(
                    {
                        "from": _entity_ref(data.node_ref(G, h["from"])),
                        "to": _entity_ref(data.node_ref(G, h["to"])),
                        "predicate": h["predicate"],
                        "direction": h["direction"],
                        "reads": f"{subject['label']} {h['predicate']} {obj['label']}",
                        "sources": h["sources"],
                        "ended": h["ended"],
                        "start_date": h["start_date"],
                        "end_date": h["end_date"],
                        "evidence": cited[:evidence],
                    }
                )
            return {"length": len(hops), "hops": hops}

        return _plain(await self._thread(read))
