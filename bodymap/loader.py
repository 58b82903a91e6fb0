"""Data folder -> validated :class:`~bodymap.model.Atlas`.

Every table is read, every reference resolved and every placement checked
against its silhouette; all problems are gathered and raised together as one
:class:`~bodymap.problems.DataError`, so a user fixes a file in one pass.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path
from types import MappingProxyType

import numpy as np

from . import model
from .model import Alias, Atlas, Caution, Condition, ConditionLink, Meridian, Placement, Point, Source, View, ViewLayer
from .problems import DataError, Problem
from .resources import default_data_dir, default_svg_dir
from .silhouettes import SvgError, load_silhouette
from .tables import TABLES, Row, read_table
from .validation import check_placements

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9.-]*$")
_PREFIX = re.compile(r"^[A-Za-z]+$")
MARKER_SYMBOLS = frozenset(
    "circle square diamond cross x triangle-up triangle-down triangle-left triangle-right pentagon hexagon "
    "hexagon2 octagon star hexagram star-triangle-up star-triangle-down star-square star-diamond diamond-tall "
    "diamond-wide hourglass bowtie circle-cross circle-x square-cross square-x diamond-cross diamond-x".split()
)


def load_atlas(data_dir: Path | str | None = None) -> Atlas:
    """Load and validate a data folder (the built-in one by default).

    Raises :class:`~bodymap.problems.DataError` listing every problem found.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    problems: list[Problem] = []
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, "folder", "does not exist or is not a folder; pass a data folder to --data")])
    rows = {name: read_table(folder, spec, problems) for name, spec in TABLES.items()}
    builder = _Builder(folder, problems)
    atlas = builder.build(rows)
    if problems:
        raise DataError(problems)
    return atlas


def _unique(rows: list[Row], column: str, problems: list[Problem], casefold: bool = False) -> dict[str, Row]:
    seen: dict[str, Row] = {}
    for row in rows:
        key = row[column].casefold() if casefold else row[column]
        if key in seen:
            problems.append(row.problem(column, f"{row[column]!r} is already used on line {seen[key].line}; each must be unique"))
        else:
            seen[key] = row
    return {row[column]: row for row in seen.values()}


class _Builder:
    def __init__(self, folder: Path, problems: list[Problem]):
        self.folder = folder
        self.problems = problems

    def report(self, row: Row, field: str, message: str) -> None:
        self.problems.append(row.problem(field, message))

    def choice(self, row: Row, column: str, allowed: tuple[str, ...]) -> bool:
        if row[column] in allowed:
            return True
        self.report(row, column, f"{row[column]!r} is not one of: {', '.join(allowed)}")
        return False

    def known(self, row: Row, column: str, table: dict, what: str) -> bool:
        if row[column] in table:
            return True
        self.report(row, column, f"{row[column]!r} is not a known {what}; add it to {what.replace(' ', '_')}s.csv or fix the spelling")
        return False

    def build(self, rows: dict[str, list[Row]]) -> Atlas:
        sources = self.sources(rows["sources.csv"])
        meridians = self.meridians(rows["meridians.csv"], rows["meridian_aliases.csv"])
        point_rows = self.point_rows(rows["points.csv"], meridians)
        aliases = self.point_aliases(rows["point_aliases.csv"], point_rows)
        cautions = self.cautions(rows["cautions.csv"], point_rows)
        views = self.views(rows["views.csv"])
        placed = self.placements(rows["placements.csv"], point_rows, views)
        condition_rows = _unique(rows["conditions.csv"], "id", self.problems)
        for row in condition_rows.values():
            if not _SLUG.match(row["id"]):
                self.report(row, "id", f"{row['id']!r} should be a lowercase slug such as 'lower-back-pain'")
        links = self.links(rows["condition_links.csv"], condition_rows, point_rows, sources)
        check_placements(placed, point_rows, views, self.problems)

        placements_by_point = defaultdict(list)
        for _, placement in placed:
            placements_by_point[placement.point].append(placement)
        links_by_point = defaultdict(list)
        for link in links:
            links_by_point[link.point].append(link)
        points = {}
        for code, row in point_rows.items():
            meridian = meridians[row["meridian"]]
            number = int(row["number"]) if row["number"] else None
            derived = tuple(
                Alias(_numbered(alias.code, number), alias.system, f"{alias.code} = {meridian.code}", derived=True)
                for alias in meridian.aliases
            ) if number is not None else ()
            points[code] = Point(
                code=code, meridian=meridian.code, number=number, pinyin=row["pinyin"], hanzi=row["hanzi"],
                english=row["english"], laterality=row["laterality"], location=row["location"],
                how_to_find=row["how_to_find"], aliases=derived + tuple(aliases[code]), cautions=tuple(cautions[code]),
                placements=tuple(placements_by_point[code]), links=tuple(links_by_point[code]),
            )
        conditions = {
            cid: Condition(cid, row["name"], row["group"], row["description"],
                           tuple(dict.fromkeys(link.point for link in links if link.condition == cid)))
            for cid, row in condition_rows.items()
        }
        return Atlas(
            data_dir=self.folder,
            meridians=MappingProxyType(meridians),
            points=MappingProxyType(points),
            views=MappingProxyType(views),
            conditions=MappingProxyType(conditions),
            sources=MappingProxyType(sources),
            links=tuple(links),
            layers=MappingProxyType(_layers(views, [p for _, p in placed])),
        )

    def sources(self, rows: list[Row]) -> dict[str, Source]:
        return {
            sid: Source(sid, r["title"], r["author"], r["publisher"], r["kind"], r["year"], r["notes"])
            for sid, r in _unique(rows, "id", self.problems).items()
        }

    def meridians(self, rows: list[Row], alias_rows: list[Row]) -> dict[str, Meridian]:
        unique = _unique(rows, "code", self.problems, casefold=True)
        aliases = defaultdict(list)
        taken = {code.casefold(): f"meridian code {code}" for code in unique}
        for row in alias_rows:
            if not self.known(row, "meridian", unique, "meridian"):
                continue
            alias = row["alias"]
            if not _PREFIX.match(alias):
                self.report(row, "alias", f"{alias!r} should be letters only, like UB or Ren")
            elif alias.casefold() in taken:
                self.report(row, "alias", f"{alias!r} is already {taken[alias.casefold()]}; an alias must name one meridian")
            else:
                taken[alias.casefold()] = f"an alias of {row['meridian']}"
                aliases[row["meridian"]].append(Alias(alias, row["system"]))
        result = {}
        for code, row in unique.items():
            ok = self.choice(row, "kind", model.MERIDIAN_KINDS)
            if not _COLOUR.match(row["colour"]):
                self.report(row, "colour", f"{row['colour']!r} is not a colour like #0072B2")
                ok = False
            if row["symbol"] not in MARKER_SYMBOLS:
                self.report(row, "symbol", f"{row['symbol']!r} is not a marker symbol; use one of {', '.join(sorted(MARKER_SYMBOLS))}")
                ok = False
            if ok:
                result[code] = Meridian(code, row["name"], row["chinese_name"], row["hanzi"], row["kind"],
                                        row["colour"], row["symbol"], tuple(aliases[code]))
        return result

    def point_rows(self, rows: list[Row], meridians: dict[str, Meridian]) -> dict[str, Row]:
        valid = {}
        for code, row in _unique(rows, "code", self.problems, casefold=True).items():
            ok = self.known(row, "meridian", meridians, "meridian") & self.choice(row, "laterality", model.LATERALITIES)
            if not _CODE.match(code):
                self.report(row, "code", f"{code!r} should be upper-case letters and digits, like BL23")
                ok = False
            if ok and meridians[row["meridian"]].kind == "channel":
                number = row["number"]
                if not number.isdigit() or int(number) < 1:
                    self.report(row, "number", f"{number!r} is not a whole number from 1 up; channel points need their number")
                    ok = False
                elif code != f"{row['meridian']}{int(number)}":
                    self.report(row, "code", f"{code!r} does not match meridian {row['meridian']} and number {number}; write {row['meridian']}{int(number)}")
                    ok = False
            elif ok and row["number"] and not row["number"].isdigit():
                self.report(row, "number", f"{row['number']!r} is not a whole number; leave it empty if the point has none")
                ok = False
            if ok:
                valid[code] = row
        return valid

    def point_aliases(self, rows: list[Row], points: dict[str, Row]) -> dict[str, list[Alias]]:
        result = defaultdict(list)
        seen = set()
        for row in rows:
            if not self.known(row, "point", points, "point"):
                continue
            key = (row["point"], row["alias"].casefold())
            if key in seen:
                self.report(row, "alias", f"{row['alias']!r} is listed twice for {row['point']}")
                continue
            seen.add(key)
            result[row["point"]].append(Alias(row["alias"], row["system"], row["note"]))
        return result

    def cautions(self, rows: list[Row], points: dict[str, Row]) -> dict[str, list[Caution]]:
        result = defaultdict(list)
        for row in rows:
            if self.known(row, "point", points, "point") and self.choice(row, "kind", model.CAUTION_KINDS):
                result[row["point"]].append(Caution(row["kind"], row["text"]))
        return result

    def views(self, rows: list[Row]) -> dict[str, View]:
        result = {}
        for vid, row in _unique(rows, "id", self.problems).items():
            if not (self.choice(row, "orientation", model.ORIENTATIONS) & self.choice(row, "side", model.VIEW_SIDES)):
                continue
            name = row["svg"]
            if Path(name).name != name or not name.endswith(".svg"):
                self.report(row, "svg", f"{name!r} should be a plain file name ending in .svg, found in the data folder's svg/ or the built-in silhouettes")
                continue
            own = self.folder / "svg" / name
            path = own if own.is_file() else default_svg_dir() / name
            if not path.is_file():
                self.report(row, "svg", f"{name!r} is neither in {self.folder / 'svg'} nor among the built-in silhouettes")
                continue
            try:
                silhouette = load_silhouette(path)
            except SvgError as error:
                self.problems.extend(error.problems)
                continue
            result[vid] = View(vid, row["name"], path, row["orientation"], row["side"], row["description"], silhouette)
        return result

    def placements(self, rows, points, views) -> list[tuple[Row, Placement]]:
        result = []
        seen = {}
        for row in rows:
            ok = self.known(row, "point", points, "point") & self.known(row, "view", views, "view")
            ok &= self.choice(row, "side", model.SIDES) & self.choice(row, "accuracy", model.ACCURACIES)
            coords = []
            for column in ("x", "y"):
                try:
                    value = float(row[column])
                except ValueError:
                    value = math.nan
                    self.report(row, column, f"{row[column]!r} is not a number")
                    ok = False
                else:
                    if not math.isfinite(value):
                        self.report(row, column, f"{row[column]!r} is not a finite number")
                        ok = False
                coords.append(value)
            if not ok:
                continue
            key = (row["point"], row["view"], row["side"])
            if key in seen:
                self.report(row, "side", f"{row['point']} already has a {row['side']} placement on {row['view']} (line {seen[key]})")
                continue
            seen[key] = row.line
            result.append((row, Placement(row["point"], row["view"], coords[0], coords[1], row["side"], row["accuracy"])))
        return result

    def links(self, rows, conditions, points, sources) -> list[ConditionLink]:
        result = []
        seen = {}
        for row in rows:
            ok = self.known(row, "condition", conditions, "condition") & self.known(row, "point", points, "point")
            ok &= self.known(row, "source", sources, "source")
            key = (row["condition"], row["point"], row["source"])
            if ok and key in seen:
                self.report(row, "point", f"this link is already on line {seen[key]}")
            elif ok:
                seen[key] = row.line
                result.append(ConditionLink(row["condition"], row["point"], row["source"], row["note"]))
        return result


def _numbered(prefix: str, number: int) -> str:
    # Abbreviations run into the number (UB23); whole words do not (Bladder 23).
    return f"{prefix} {number}" if len(prefix) > 3 else f"{prefix}{number}"


def _layers(views: dict[str, View], placements: list[Placement]) -> dict[str, ViewLayer]:
    layers = {}
    for vid in views:
        on_view = [p for p in placements if p.view == vid]
        xy = np.array([[p.x, p.y] for p in on_view], dtype=float).reshape(-1, 2)
        xy.flags.writeable = False
        layers[vid] = ViewLayer(tuple(p.point for p in on_view), tuple(p.side for p in on_view), xy)
    return layers
