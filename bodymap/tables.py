"""Reading the CSV tables of a data folder, collecting every problem."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, display_path

MAX_TABLE_BYTES = 20_000_000


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    # An optional table may be left out of a data folder: the body's tables are, and
    # a folder without them is drawn in 2D from its own silhouettes.
    optional: bool = False


class Row(dict):
    """One data row (column -> text) and the line it starts on, for error messages."""

    __slots__ = ("file", "line")

    def __init__(self, file: str, line: int, values: dict[str, str]):
        super().__init__(values)
        self.file = file
        self.line = line

    def problem(self, field: str, message: str) -> Problem:
        return Problem(self.file, self.line, field, message)


TABLES = {
    spec.name: spec
    for spec in (
        TableSpec("sources.csv", ("id", "title", "author", "publisher", "kind", "year", "notes"), ("id", "title", "kind")),
        TableSpec("meridians.csv", ("code", "name", "chinese_name", "hanzi", "kind", "colour", "symbol"),
                  ("code", "name", "kind", "colour", "symbol")),
        TableSpec("meridian_aliases.csv", ("meridian", "alias", "system"), ("meridian", "alias", "system")),
        TableSpec("points.csv", ("code", "meridian", "number", "pinyin", "hanzi", "english", "laterality", "location", "how_to_find",
                                 "outside_who"),
                  ("code", "meridian", "pinyin", "english", "laterality", "location", "how_to_find")),
        TableSpec("point_aliases.csv", ("point", "alias", "system", "note"), ("point", "alias", "system")),
        TableSpec("cautions.csv", ("point", "kind", "text"), ("point", "kind", "text")),
        TableSpec("views.csv", ("id", "name", "svg", "orientation", "side", "description"), ("id", "name", "svg", "orientation", "side")),
        TableSpec("landmarks.csv", ("view", "landmark", "x", "y", "cun", "description"), ("view", "landmark", "x", "y", "cun")),
        TableSpec("placements.csv", ("point", "view", "x", "y", "side", "accuracy", "part", "landmark", "across", "down"),
                  ("point", "view", "x", "y", "side", "accuracy")),
        TableSpec("channel_order.csv", ("meridian", "view", "first", "last", "direction"),
                  ("meridian", "view", "first", "last", "direction")),
        TableSpec("pathways.csv", ("meridian", "view", "side", "line", "seq", "point", "x", "y"),
                  ("meridian", "view", "side", "line", "seq")),
        TableSpec("conditions.csv", ("id", "name", "group", "description"), ("id", "name", "group")),
        TableSpec("condition_links.csv", ("condition", "point", "source", "note"), ("condition", "point", "source")),
        TableSpec("condition_synonyms.csv", ("condition", "synonym"), ("condition", "synonym")),
        TableSpec("trials.csv", ("doi", "year", "studied", "condition", "source"), ("doi", "studied", "source")),
        TableSpec("trial_points.csv", ("doi", "point"), ("doi", "point")),
        TableSpec("location_notes.csv", ("point", "note", "source"), ("point", "note", "source")),
        TableSpec("categories.csv", ("id", "name", "of", "description", "source"), ("id", "name", "source")),
        TableSpec("point_categories.csv", ("point", "category", "of", "source", "note"), ("point", "category", "source")),
        TableSpec("cameras.csv", ("view", "panel", "name", "direction", "up", "scale", "offset", "clip"),
                  ("view", "panel", "direction", "up", "scale", "offset"), optional=True),
        TableSpec("body_landmarks.csv", ("landmark", "vertices", "weights", "cun", "description"),
                  ("landmark", "vertices", "cun"), optional=True),
        TableSpec("regions.csv", ("id", "name", "view", "landmarks", "sides", "margin", "description"),
                  ("id", "name", "view", "landmarks", "margin"), optional=True),
    )
}


def read_table(folder: Path, spec: TableSpec, problems: list[Problem]) -> list[Row]:
    """Rows of one table; problems are appended, never raised.

    Rows with an empty required field are reported and left out, so later
    checks do not pile further messages on the same mistake.
    """
    path = folder / spec.name
    shown = display_path(path)

    def problem(line, field, message):
        problems.append(Problem(shown, line, field, message))

    if not path.is_file():
        if not spec.optional:
            problem(None, "file", f"is missing; add {spec.name} with the columns {', '.join(spec.columns)}")
        return []
    try:
        raw = path.read_bytes()
    except OSError as error:
        problem(None, "file", f"cannot be read ({error.strerror or error}); check its permissions")
        return []
    if len(raw) > MAX_TABLE_BYTES:
        problem(None, "file", f"is {len(raw)} bytes; a table may be at most {MAX_TABLE_BYTES} bytes")
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem(raw[: error.start].count(b"\n") + 1, "encoding", "is not valid UTF-8; save the file as UTF-8")
        return []

    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    try:
        header = [name.strip() for name in next(reader, [])]
        if not header:
            problem(1, "header", f"the file is empty; the first line must name the columns {', '.join(spec.columns)}")
            return []
        for column in spec.columns:
            if column not in header:
                problem(1, column, "column is missing from the header; add it")
        for column in header:
            if column not in spec.columns:
                problem(1, column or "(blank)", f"is not a column of {spec.name}; expected {', '.join(spec.columns)}")
        for column in sorted({name for name in header if header.count(name) > 1}):
            problem(1, column, "appears more than once in the header; keep one")
        if len(set(header)) != len(header) or any(column not in header for column in spec.columns):
            return []
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problem(line, "row", f"has {len(record)} fields but the header has {len(header)}; check commas and quotes")
                continue
            values = dict(zip(header, map(str.strip, record)))
            empty = [column for column in spec.required if not values[column]]
            for column in empty:
                problem(line, column, "is empty; it needs a value")
            if not empty:
                rows.append(Row(shown, line, values))
    except csv.Error as error:
        problem(reader.line_num, "csv", f"{error}; check the quoting on this line")
    return rows


def is_whole(text: str) -> bool:
    """Plain ASCII digits only: str.isdigit also accepts '²', which int() refuses."""
    return text.isascii() and text.isdigit()
