"""Plain JSON-ready records of the model, shared by the CLI and exports."""

from __future__ import annotations

from .i18n import _
from .model import Atlas, Category, Condition, Meridian, PointCategory, View
from .query import Match


def category_text(atlas: Atlas, assignment: PointCategory, *, compact: bool = False) -> str:
    """``Back-shu point of the kidney``, or compact ``Back-shu (kidney)`` for lists and tables."""
    category = atlas.categories[assignment.category]
    if compact:
        return f"{category.short_name} ({assignment.of})" if assignment.of else category.short_name
    if not assignment.of:
        return category.name
    # TRANSLATORS: e.g. "Back-shu point of the kidney"; {target} is what the category belongs to.
    return _("{category} of the {target}").format(category=category.name, target=assignment.of)


def point_record(atlas: Atlas, match: Match, *, include_match: bool = False, include_rank: bool = False) -> dict:
    point = match.point
    record = {
        "code": point.code,
        "meridian": point.meridian,
        "number": point.number,
        "names": {"pinyin": point.pinyin, "hanzi": point.hanzi, "english": point.english},
        "aliases": [{"code": a.code, "system": a.system, **({"note": a.note} if a.note else {})} for a in point.aliases],
        "bilateral": point.bilateral,
        "laterality": point.laterality,
        "who_standard": point.who_standard,
        "outside_who": point.outside_who or None,
        "location": point.location,
        "how_to_find": point.how_to_find,
        "location_note": ({"text": point.location_note.text, "source": point.location_note.source,
                           "citation": atlas.sources[point.location_note.source].citation}
                          if point.location_note else None),
        "cautions": [{"kind": c.kind, "text": c.text} for c in point.cautions],
        "conditions": list(point.conditions),
        "categories": [{"id": c.category, "of": c.of, **({"note": c.note} if c.note else {})} for c in point.categories],
        "sources": [
            {"condition": link.condition, "source": link.source, "citation": atlas.sources[link.source].citation,
             **({"note": link.note} if link.note else {})}
            for link in point.links
        ],
        # Kept apart from "conditions": a trial used the point; it is not a traditional indication.
        "trials": [trial_record(atlas, doi) for doi in point.trials],
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
        "synonyms": list(condition.synonyms),
        "points": list(condition.points),
        "sources": list(dict.fromkeys(link.source for link in links)),
    }


def trial_text(atlas: Atlas, doi: str) -> str:
    """``used in a randomised trial of chronic low back pain (2003)``: what happened, never whether it worked."""
    trial = atlas.trials[doi]
    return f"used in a randomised trial of {trial.studied}" + (f" ({trial.year})" if trial.year else "")


def trial_record(atlas: Atlas, doi: str) -> dict:
    """A trial for JSON: its DOI and link, year, what it studied, and the sentence shown to readers."""
    trial = atlas.trials[doi]
    return {"doi": trial.doi, "url": trial.url, "year": trial.year, "studied": trial.studied,
            "condition": trial.condition or None, "text": trial_text(atlas, doi), "source": trial.source}


def category_record(atlas: Atlas, category: Category) -> dict:
    """A special-point category for JSON, with its source and every point in it."""
    return {
        "id": category.id,
        "name": category.name,
        "of": category.of,
        "description": category.description,
        "source": category.source,
        "citation": atlas.sources[category.source].citation,
        "points": [{"code": p.code, "of": c.of} for p in atlas.points.values() for c in p.categories
                   if c.category == category.id],
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
    if view.region_of:
        record["region_of"] = view.region_of
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
