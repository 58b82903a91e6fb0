"""The atlas with its texts in one language; English, marked, where a text is missing."""

from __future__ import annotations

import weakref
from dataclasses import replace
from types import MappingProxyType

from ..model import Atlas
from ..translations import ENGLISH
from ._catalog import catalog_counts, gettext


class Fallback(str):
    """An English text shown because the chosen language has none for it."""

    __slots__ = ()


def marked(text: str) -> str:
    """``text`` as a reader should see it: an English fallback says that it is English."""
    if isinstance(text, Fallback):
        # TRANSLATORS: put before a text shown in English because it has no translation yet.
        label = gettext("[in English]")
        return f"{label} {text}"
    return text


_cache: "weakref.WeakKeyDictionary[Atlas, dict[str, Atlas]]" = weakref.WeakKeyDictionary()
# A localized atlas -> the English one it was made from.
_english: "weakref.WeakKeyDictionary[Atlas, Atlas]" = weakref.WeakKeyDictionary()


def localize(atlas: Atlas, lang: str) -> Atlas:
    """``atlas`` with its data texts in ``lang`` (made once per atlas and language).

    Point names (code, pinyin, hanzi, English name) stay as they are; locations, how
    to find, cautions, location notes, and the names and descriptions of meridians,
    conditions, views and categories are translated. A condition is also found by
    the words the language's readers search for it by.
    """
    if lang == atlas.lang:
        return atlas
    atlas = _english.get(atlas, atlas)
    if lang == ENGLISH:
        return atlas
    made = _cache.setdefault(atlas, {})
    if lang not in made:
        if lang not in atlas.languages:
            raise ValueError(f"{lang!r} is not a language of this atlas; choose one of {', '.join(atlas.languages)}")
        made[lang] = _localize(atlas, lang)
        _english[made[lang]] = atlas
    return made[lang]


def _localize(atlas: Atlas, lang: str) -> Atlas:
    translation = atlas.translations.get(lang)
    texts = translation.texts if translation else {}

    def text(table: str, key: str, field: str, english: str) -> str:
        if not english:
            return english
        found = texts.get((table, key, field))
        return found if found else Fallback(english)

    points = {}
    for code, point in atlas.points.items():
        note = point.location_note
        points[code] = replace(
            point,
            location=text("points.csv", code, "location", point.location),
            how_to_find=text("points.csv", code, "how_to_find", point.how_to_find),
            cautions=tuple(replace(c, text=text("cautions.csv", f"{code}|{c.kind}", "text", c.text))
                           for c in point.cautions),
            location_note=replace(note, text=text("location_notes.csv", code, "note", note.text)) if note else None,
            categories=tuple(replace(c, of=text("category_targets.csv", c.of, "name", c.of)) for c in point.categories),
        )
    meridians = {code: replace(m, name=text("meridians.csv", code, "name", m.name)) for code, m in atlas.meridians.items()}
    conditions = {
        cid: replace(c, name=text("conditions.csv", cid, "name", c.name),
                     description=text("conditions.csv", cid, "description", c.description),
                     group_name=text("condition_groups.csv", c.group, "name", c.group),
                     synonyms=(translation.synonyms.get(cid, ()) if translation else ()) + c.synonyms)
        for cid, c in atlas.conditions.items()
    }
    views = {}
    for vid, view in atlas.views.items():
        table = "regions.csv" if view.region_of else "views.csv"
        views[vid] = replace(view, name=text(table, vid, "name", view.name),
                             description=text(table, vid, "description", view.description))
    categories = {cid: replace(c, name=text("categories.csv", cid, "name", c.name),
                               description=text("categories.csv", cid, "description", c.description))
                  for cid, c in atlas.categories.items()}
    return replace(atlas, points=MappingProxyType(points), meridians=MappingProxyType(meridians),
                   conditions=MappingProxyType(conditions), views=MappingProxyType(views),
                   categories=MappingProxyType(categories), lang=lang)


def coverage(atlas: Atlas) -> list[dict]:
    """How complete each language is: one row a language, for ``bodymap validate``.

    ``strings`` counts the interface catalog's messages; ``points`` the points whose
    location and how-to-find are both translated; ``conditions`` the conditions with a
    translated name; ``cautions`` the caution texts.
    """
    cautions = [f"{code}|{c.kind}" for code, p in atlas.points.items() for c in p.cautions]

    def count(texts, table: str, fields: tuple[str, ...], keys) -> tuple[int, int]:
        keys = list(keys)
        if texts is None:  # English: the reference itself
            return len(keys), len(keys)
        return sum(all((table, key, f) in texts for f in fields) for key in keys), len(keys)

    rows = []
    for lang, language in atlas.languages.items():
        texts = atlas.translations[lang].texts if lang in atlas.translations else None
        rows.append({
            "lang": lang, "name": language.name, "native": language.native,
            "strings": catalog_counts(lang),
            "points": count(texts, "points.csv", ("location", "how_to_find"), atlas.points),
            "conditions": count(texts, "conditions.csv", ("name",), atlas.conditions),
            "cautions": count(texts, "cautions.csv", ("text",), cautions),
        })
    return rows

