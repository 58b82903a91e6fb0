"""Plain JSON-ready records of the model, shared by the CLI and exports."""

from __future__ import annotations

from .model import Atlas, Condition, Meridian, View
from .query import Match


def point_record(atlas: Atlas, match: Match, *, include_match: bool = False, include_rank: bool = False) -> dict:
    point = match.point
    record = {
        "code": point.code,
        "meridian": point.meridian,
        "number": point.number,
        "names": {"pinyin": point.pinyin, "hanzi": point.hanzi, "english": point.english},
        "aliases": [{"code": a.code, "system": a.system, **({"note": a.note} if a.note else {})} for a in point.aliases],
        "bilateral": point.bilateral,
        "location": point.location,
        "how_to_find": point.how_to_find,
        "cautions": [{"kind": c.kind, "text": c.text} for c in point.cautions],
        "conditions": list(point.conditions),
        "sources": [
            {"condition": link.condition, "source": link.source, "citation": atlas.sources[link.source].citation,
             **({"note": link.note} if link.note else {})}
            for link in point.links
        ],
        "placements": [
            {"view": p.view, "x": p.x, "y": p.y, "side": p.side, "accuracy": p.accuracy,
             **({"part": p.part} if p.part else {}), **({"xyz": list(p.xyz)} if p.xyz is not None else {})}
            for p in point.placements
        ],
    }
    if include_match:
        record["match"] = {"field": match.field, "how": match.how, "reading": match.reading}
    if include_rank:
        record["rank"] = match.rank
        record["serves"] = list(match.conditions)
    return record


def condition_record(atlas: Atlas, condition: Condition) -> dict:
    links = [link for link in atlas.links if link.condition == condition.id]
    return {
        "id": condition.id,
        "name": condition.name,
        "group": condition.group,
        "description": condition.description,
        "points": list(condition.points),
        "sources": list(dict.fromkeys(link.source for link in links)),
    }


def view_record(view: View) -> dict:
    """A view; one drawn from the body gives its ``camera`` (direction and up as unit vectors in body
    coordinates, SVG units per cm, and the SVG position of the body's origin), and each panel's camera
    when it has several (the hand's back and palm)."""
    record = {
        "id": view.id,
        "name": view.name,
        "svg": str(view.svg.resolve()),
        "viewBox": list(view.silhouette.view_box),
        "orientation": view.orientation,
        "side": view.side,
    }
    if view.cameras:
        record["camera"] = view.cameras[0].as_json()
    if len(view.cameras) > 1:
        record["panels"] = [{"panel": c.panel, "name": c.name, "camera": c.as_json(),
                             "box": [round(v, 1) for v in c.box]} for c in view.cameras]
    return record


def channel_order(atlas: Atlas, meridian: str) -> list[str]:
    """The meridian's point codes in channel order (extras by code)."""
    points = [p for p in atlas.points.values() if p.meridian == meridian]
    return [p.code for p in sorted(points, key=lambda p: (p.number or 0, p.code))]


def meridian_record(atlas: Atlas, meridian: Meridian) -> dict:
    pathways: dict[str, list] = {}
    for pathway in atlas.pathways.get(meridian.code, ()):
        pathways.setdefault(pathway.view, []).append([[round(float(x), 1), round(float(y), 1)] for x, y in pathway.xy])
    return {
        "code": meridian.code,
        "names": {"english": meridian.name, "pinyin": meridian.chinese_name, "hanzi": meridian.hanzi},
        "kind": meridian.kind,
        "colour": meridian.colour,
        "symbol": meridian.symbol,
        "aliases": [{"code": a.code, "system": a.system} for a in meridian.aliases],
        "points": channel_order(atlas, meridian.code),
        "pathways": pathways,
    }
