"""One query for every caller: filter points by meridian, condition and view,
and search them by any code form, alias or name.

A code that several numbering systems read differently returns every
reading, each labelled: ``B54`` is BL54 in WHO numbering but BL40 in the
older bladder numbering.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable
from weakref import WeakKeyDictionary

from .codes import name_key, split_code
from .i18n import _
from .model import Atlas, Point

WHO_NUMBERING = "WHO numbering"


class QueryError(ValueError):
    """A filter names something the atlas does not have."""


@dataclass(frozen=True)
class Match:
    """A point that passed the filters, and why."""

    point: Point
    field: str = ""
    how: str = ""
    reading: str = ""
    conditions: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        """How many of the chosen conditions the point serves."""
        return len(self.conditions)


@dataclass(frozen=True)
class QueryResult:
    matches: tuple[Match, ...]
    search: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(match.point.code for match in self.matches)

    @property
    def readings(self) -> tuple[str, ...]:
        """The distinct numbering systems a code search was read in."""
        return tuple(dict.fromkeys(m.reading for m in self.matches if m.reading))

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    def __len__(self) -> int:
        return len(self.matches)


@dataclass
class _SearchIndex:
    ordered: list[Point]
    prefixes: dict[str, tuple[str, str]]
    numbered: dict[tuple[str, int], str]
    renumbered: dict[tuple[str, int], list]
    exact: dict[str, list]
    meridian_keys: dict[str, str]
    names: list[tuple[str, str, str, str]]
    # name key -> (condition id, the words as written when they are a synonym, else "")
    condition_keys: dict[str, tuple[str, str]]


_INDEXES: "WeakKeyDictionary[Atlas, _SearchIndex]" = WeakKeyDictionary()


def _index(atlas: Atlas) -> _SearchIndex:
    index = _INDEXES.get(atlas)
    if index is not None:
        return index
    meridian_order = {code: i for i, code in enumerate(atlas.meridians)}
    ordered = sorted(atlas.points.values(),
                     key=lambda p: (meridian_order[p.meridian], p.number or 0, p.code))
    prefixes, meridian_keys = {}, {}
    for meridian in atlas.meridians.values():
        prefixes[meridian.code.casefold()] = (meridian.code, "")
        for key in (meridian.code, meridian.name, meridian.chinese_name, meridian.hanzi):
            if key:
                meridian_keys[name_key(key)] = meridian.code
        for alias in meridian.aliases:
            prefixes[alias.code.casefold()] = (meridian.code, alias.system)
            meridian_keys[name_key(alias.code)] = meridian.code
    numbered = {(p.meridian, p.number): p.code for p in ordered if p.number is not None}
    renumbered, exact = defaultdict(list), defaultdict(list)
    names = []
    for point in ordered:
        exact[name_key(point.code)].append((point, "code", f"code {point.code}", ""))
        for alias in point.aliases:
            if alias.derived:
                continue
            parts = split_code(alias.code)
            if parts and parts[0] in prefixes:
                renumbered[(prefixes[parts[0]][0], parts[1])].append((point, alias))
            else:
                exact[name_key(alias.code)].append(
                    (point, "alias", f"{alias.code} is {point.code} ({alias.system})", alias.system))
                names.append((point.code, "alias", alias.code, name_key(alias.code)))
        for field in ("pinyin", "hanzi", "english"):
            value = getattr(point, field)
            if value:
                names.append((point.code, field, value, name_key(value)))
    condition_keys = {}
    for condition in atlas.conditions.values():
        for text in (condition.id, condition.name):
            condition_keys.setdefault(name_key(text), (condition.id, ""))
        for synonym in condition.synonyms:
            condition_keys.setdefault(name_key(synonym), (condition.id, synonym))
    index = _SearchIndex(ordered, prefixes, numbered, dict(renumbered), dict(exact), meridian_keys, names,
                         condition_keys)
    _INDEXES[atlas] = index
    return index


def _code_readings(atlas: Atlas, index: _SearchIndex, text: str) -> list[Match]:
    parts = split_code(text)
    if parts is None or parts[0] not in index.prefixes:
        return []
    prefix, number = parts
    meridian, system = index.prefixes[prefix]
    written = f"{prefix.upper() if len(prefix) <= 3 else prefix.capitalize()}{number}"
    readings = []
    target = index.numbered.get((meridian, number))
    if target is not None:
        point = atlas.points[target]
        if system:
            how = _("{written} is {code} {pinyin} ({prefix} = {meridian}, {system})").format(
                written=written, code=target, pinyin=point.pinyin, prefix=prefix.upper(), meridian=meridian,
                system=system)
        else:
            how = _("{code} {pinyin}, WHO code").format(code=target, pinyin=point.pinyin)
        readings.append(Match(point, "code", how, WHO_NUMBERING))
    for point, alias in index.renumbered.get((meridian, number), []):
        how = _("{written} in the {system} is {code} {pinyin}").format(
            written=written, system=alias.system, code=point.code, pinyin=point.pinyin)
        if target is not None:
            how += "; " + _("in WHO numbering {code} is {pinyin}").format(code=target,
                                                                         pinyin=atlas.points[target].pinyin)
        readings.append(Match(point, "alias", how, alias.system))
    return readings


def condition_match_label(atlas: Atlas, condition_id: str, written: str = "") -> str:
    """How a condition match is explained: ``condition match: Lower back pain (“lumbago”)``."""
    name = atlas.conditions[condition_id].name
    if written:
        return _("condition match: {name} (“{written}”)").format(name=name, written=written)
    return _("condition match: {name}").format(name=name)


def _condition_matches(atlas: Atlas, index: _SearchIndex, condition_id: str, written: str) -> list[Match]:
    # The condition's linked points, in channel order: a search for a condition
    # or one of its synonyms finds what the condition filter finds.
    linked = set(atlas.conditions[condition_id].points)
    how = condition_match_label(atlas, condition_id, written)
    return [Match(point, "condition", how) for point in index.ordered if point.code in linked]


def search_points(atlas: Atlas, text: str) -> list[Match]:
    """Every point the text can mean, best readings first, each explained.

    A search that names no point but names a condition, or one of its
    synonyms from condition_synonyms.csv (``lumbago``, ``stiff neck``),
    finds the condition's points, each labelled as a condition match.
    """
    index = _index(atlas)
    key = name_key(text)
    if not key:
        return [Match(point) for point in index.ordered]
    found = _code_readings(atlas, index, text)
    found += [Match(point, field, how, reading) for point, field, how, reading in index.exact.get(key, [])]
    if not found and key in index.meridian_keys:
        meridian = atlas.meridians[index.meridian_keys[key]]
        how = _("on the {name} meridian ({code})").format(name=meridian.name, code=meridian.code)
        found = [Match(point, "meridian", how) for point in index.ordered if point.meridian == meridian.code]
    if not found and key in index.condition_keys:
        found = _condition_matches(atlas, index, *index.condition_keys[key])
    if not found or found[0].field == "condition":
        for code, field, value, value_key in index.names:
            if key in value_key:
                label = {"english": _("English name"), "alias": _("also called"), "pinyin": _("pinyin"),
                         "hanzi": _("hanzi")}.get(field, field)
                found.append(Match(atlas.points[code], field, _("{label}: {value}").format(label=label, value=value)))
    unique = {}
    for match in found:
        unique.setdefault(match.point.code, match)
    return list(unique.values())


def resolve_meridian(atlas: Atlas, text: str) -> str:
    """A meridian code from its WHO code or any alias (``UB`` -> ``BL``)."""
    entry = _index(atlas).prefixes.get(text.strip().casefold())
    if entry is None:
        raise QueryError(_("unknown meridian {text}; known: {known}").format(text=repr(text),
                                                                              known=", ".join(atlas.meridians)))
    return entry[0]


def resolve_condition(atlas: Atlas, text: str) -> str:
    """A condition from its id, its name or a synonym (``lumbago`` -> ``lower-back-pain``)."""
    wanted = text.strip().casefold()
    for condition in atlas.conditions.values():
        if wanted in (condition.id, condition.name.casefold()):
            return condition.id
    found = _index(atlas).condition_keys.get(name_key(text))
    if found is None:
        raise QueryError(_("unknown condition {text}; `bodymap conditions` lists them").format(text=repr(text)))
    return found[0]


def resolve_category(atlas: Atlas, text: str) -> str:
    """A special-point category from its id or name, in any case or spacing (``Back shu`` -> ``back-shu``)."""
    wanted = name_key(text)
    for category in atlas.categories.values():
        if wanted and wanted in (name_key(category.id), name_key(category.name), name_key(category.short_name)):
            return category.id
    raise QueryError(_("unknown category {text}; known: {known}").format(text=repr(text),
                                                                         known=", ".join(atlas.categories)))


def resolve_view(atlas: Atlas, text: str) -> str:
    wanted = text.strip().casefold()
    if wanted not in atlas.views:
        raise QueryError(_("unknown view {text}; known: {known}").format(text=repr(text), known=", ".join(atlas.views)))
    return wanted


def resolve_point(atlas: Atlas, text: str) -> str:
    readings = _code_readings(atlas, _index(atlas), text)
    who = [m for m in readings if m.reading == WHO_NUMBERING]
    if who:
        return who[0].point.code
    exact = _index(atlas).exact.get(name_key(text), [])
    if exact:
        return exact[0][0].code
    raise QueryError(_("unknown point {text}; `bodymap points` lists them").format(text=repr(text)))


def query(
    atlas: Atlas,
    *,
    meridians: Iterable[str] = (),
    conditions: Iterable[str] = (),
    views: Iterable[str] = (),
    points: Iterable[str] = (),
    categories: Iterable[str] = (),
    search: str = "",
) -> QueryResult:
    """Points matching every given filter, ranked.

    Filters combine with AND; values within one filter with OR (a point in
    any of the chosen ``categories`` passes). With several conditions, points
    serving more of them come first. Unknown meridians, conditions, views,
    points or categories raise :class:`QueryError`.
    """
    wanted_meridians = {resolve_meridian(atlas, m) for m in meridians}
    wanted_conditions = list(dict.fromkeys(resolve_condition(atlas, c) for c in conditions))
    wanted_views = {resolve_view(atlas, v) for v in views}
    wanted_points = {resolve_point(atlas, p) for p in points}
    wanted_categories = {resolve_category(atlas, c) for c in categories}

    matches = []
    for match in search_points(atlas, search):
        point = match.point
        if wanted_meridians and point.meridian not in wanted_meridians:
            continue
        if wanted_points and point.code not in wanted_points:
            continue
        if wanted_views and not any(p.view in wanted_views for p in point.placements):
            continue
        if wanted_categories and not any(c.category in wanted_categories for c in point.categories):
            continue
        served = tuple(c for c in wanted_conditions if c in point.conditions)
        if wanted_conditions and not served:
            continue
        matches.append(Match(point, match.field, match.how, match.reading, served))
    matches.sort(key=lambda m: -m.rank)
    return QueryResult(tuple(matches), search)
