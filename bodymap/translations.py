"""Reading a data folder's translations: ``languages.csv`` and ``i18n/<language>/``.

Each language's folder holds tables beside the English ones, keyed the same way
(a point's code, a condition's id, a caution's point and kind). A row names what it
translates and gives the text; a row left out falls back to English. Rows are checked
against the English tables so a mistyped key is reported, not silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .model import Language, Translation
from .problems import Problem
from .tables import Row, TableSpec, read_table

ENGLISH = "en"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$")
LANGUAGES = TableSpec("languages.csv", ("id", "name", "native"), ("id", "name", "native"), optional=True)


@dataclass(frozen=True)
class Part:
    """One translated table: the English table it follows, its key and its texts."""

    table: str           # the translated file's name, and the English table it follows
    key: tuple[str, ...]
    texts: tuple[str, ...]
    # Where the keys come from when there is no English table of that name: (table, column).
    keys_from: tuple[str, str] | None = None

    @property
    def spec(self) -> TableSpec:
        return TableSpec(self.table, self.key + self.texts, self.key + self.texts, optional=True)


PARTS = (
    Part("points.csv", ("code",), ("location", "how_to_find")),
    Part("meridians.csv", ("code",), ("name",)),
    Part("conditions.csv", ("id",), ("name", "description")),
    Part("cautions.csv", ("point", "kind"), ("text",)),
    Part("views.csv", ("id",), ("name", "description")),
    Part("regions.csv", ("id",), ("name", "description")),
    Part("categories.csv", ("id",), ("name", "description")),
    Part("location_notes.csv", ("point",), ("note",)),
    # What a category belongs to (point_categories.csv's `of`: "kidney", "sinews").
    Part("category_targets.csv", ("of",), ("name",), keys_from=("point_categories.csv", "of")),
    # The headings the conditions are grouped under (conditions.csv's `group`).
    Part("condition_groups.csv", ("group",), ("name",), keys_from=("conditions.csv", "group")),
)
# Search words are not one per English row: each language lists its own.
SYNONYMS = TableSpec("condition_synonyms.csv", ("condition", "synonym"), ("condition", "synonym"), optional=True)


def read_languages(folder: Path, problems: list[Problem]) -> dict[str, Language]:
    """The languages a data folder speaks, English first; English alone without the table."""
    languages = {ENGLISH: Language(ENGLISH, "English", "English")}
    for row in read_table(folder, LANGUAGES, problems):
        lang = row["id"]
        if not _LANGUAGE.match(lang):
            problems.append(row.problem("id", f"{lang!r} is not a language tag such as 'es' or 'zh-Hans'"))
        elif lang in languages and lang != ENGLISH:
            problems.append(row.problem("id", f"{lang!r} is listed twice; keep one row"))
        else:
            languages[lang] = Language(lang, row["name"], row["native"])
    return languages


def read_translations(folder: Path, languages: Mapping[str, Language], english: Mapping[str, list[Row]],
                      problems: list[Problem]) -> dict[str, Translation]:
    """Every language's texts, checked against the English tables' rows."""
    # What each table may translate, the same for every language.
    allowed: dict[str, set[str]] = {}
    for part in PARTS:
        if part.keys_from:
            table, column = part.keys_from
            allowed[part.table] = {row[column] for row in english.get(table, []) if row[column]}
        else:
            allowed[part.table] = {_key(part.key, row) for row in english.get(part.table, [])}
    conditions = {row["id"] for row in english.get("conditions.csv", [])}
    found: dict[str, Translation] = {}
    for lang, language in languages.items():
        if lang == ENGLISH:
            continue
        where = folder / "i18n" / lang
        texts: dict[tuple[str, str, str], str] = {}
        for part in PARTS:
            source = (part.keys_from or (part.table,))[0]
            seen: dict[str, int] = {}
            for row in read_table(where, part.spec, problems):
                key = _key(part.key, row)
                if key not in allowed[part.table]:
                    problems.append(row.problem(part.key[0], f"{key!r} is not in the English {source}; "
                                                             "fix the key or remove the row"))
                elif key in seen:
                    problems.append(row.problem(part.key[0], f"{key!r} is already translated on line {seen[key]}; "
                                                             "keep one row"))
                else:
                    seen[key] = row.line
                    texts.update({(part.table, key, field): row[field] for field in part.texts})
        synonyms: dict[str, list[str]] = {}
        for row in read_table(where, SYNONYMS, problems):
            if row["condition"] not in conditions:
                problems.append(row.problem("condition", f"{row['condition']!r} is not in the English conditions.csv; "
                                                         "fix the id or remove the row"))
            else:
                synonyms.setdefault(row["condition"], []).append(row["synonym"])
        found[lang] = Translation(language, MappingProxyType(texts),
                                  MappingProxyType({c: tuple(words) for c, words in synonyms.items()}))
    return found


def _key(columns: tuple[str, ...], row: Row) -> str:
    return "|".join(row[column] for column in columns)
