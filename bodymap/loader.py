"""Data folder -> validated :class:`~bodymap.model.Atlas`.

Every table is read, every reference resolved and every placement checked
against its silhouette; all problems are gathered and raised together as one
:class:`~bodymap.problems.DataError`, so a user fixes a file in one pass.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import numpy as np

from . import model
from .body import Body, BodyError, Camera, load_body
from .codes import is_who_extra, looks_like_who_extra, name_key
from .model import (Alias, Anchor, Atlas, BodyLandmark, Category, Caution, Condition, ConditionLink, Landmark,
                    LocationNote, Meridian, OrderRule, Pathway, Placement, Point, PointCategory, Source, Trial, View,
                    ViewLayer)
from .problems import DataError, Problem
from .resources import default_body_file, default_data_dir, default_svg_dir
from .silhouettes import SvgError, load_silhouette
from .tables import TABLES, Row, is_whole, read_table
from .translations import read_languages, read_translations
from .validation import check_body, check_order, check_pathways, check_placements

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9.-]*$")
_PREFIX = re.compile(r"^[A-Za-z]+$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
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
    languages = read_languages(folder, problems)
    translations = read_translations(folder, languages, rows, problems)
    atlas = replace(atlas, languages=MappingProxyType(languages), translations=MappingProxyType(translations))
    if problems:
        raise DataError(problems)
    return atlas


def reader(folder: Path, problems: list[Problem]) -> "_Builder":
    """The table readers of :func:`load_atlas`, for tools that need only some tables."""
    return _Builder(folder, problems)


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

    def known(self, row: Row, column: str, table: dict, what: str, file: str = "") -> bool:
        if row[column] in table:
            return True
        file = file or f"{what.replace(' ', '_')}s.csv"
        self.report(row, column, f"{row[column]!r} is not a known {what}; add it to {file} or fix the spelling")
        return False

    def build(self, rows: dict[str, list[Row]]) -> Atlas:
        sources = self.sources(rows["sources.csv"])
        meridians = self.meridians(rows["meridians.csv"], rows["meridian_aliases.csv"])
        point_rows = self.point_rows(rows["points.csv"], meridians)
        aliases = self.point_aliases(rows["point_aliases.csv"], point_rows)
        cautions = self.cautions(rows["cautions.csv"], point_rows)
        views = self.views(rows["views.csv"])
        body, cameras = self.body(rows["cameras.csv"], views)
        views = {vid: replace(view, cameras=tuple(cameras.get(vid, ()))) for vid, view in views.items()}
        body_landmarks = self.body_landmarks(rows["body_landmarks.csv"], body)
        landmarks = self.landmarks(rows["landmarks.csv"], views)
        placed = self.placements(rows["placements.csv"], point_rows, views, landmarks)
        condition_rows = _unique(rows["conditions.csv"], "id", self.problems)
        for row in condition_rows.values():
            if not _SLUG.match(row["id"]):
                self.report(row, "id", f"{row['id']!r} should be a lowercase slug such as 'lower-back-pain'")
        links = self.links(rows["condition_links.csv"], condition_rows, point_rows, sources)
        linked = {link.condition for link in links}
        if not any(p.file.endswith("condition_links.csv") for p in self.problems):
            for cid, row in condition_rows.items():
                if cid not in linked:
                    self.report(row, "id", f"{cid!r} has no condition links; add one naming its source, or remove it")
        location_notes = self.location_notes(rows["location_notes.csv"], point_rows, sources)
        categories = self.categories(rows["categories.csv"], sources)
        point_categories = self.point_categories(rows["point_categories.csv"], point_rows, categories, sources)
        trials = self.trials(rows["trials.csv"], rows["trial_points.csv"], condition_rows, point_rows, sources)
        check_placements(placed, point_rows, views, landmarks, self.problems)
        if body is not None:
            placed = check_body(body, body_landmarks, rows["landmarks.csv"], landmarks, placed, point_rows, views,
                                self.problems)
        order_rules = self.order_rules(rows["channel_order.csv"], meridians, point_rows, views)
        check_order(order_rules, placed, point_rows, views, self.problems)
        pathways = self.pathways(rows["pathways.csv"], meridians, point_rows, views, placed)
        views, landmarks, placed, pathways = self.regions(rows["regions.csv"], views, landmarks, placed, pathways)

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
                categories=tuple(point_categories.get(code, ())), location_note=location_notes.get(code),
                outside_who=row["outside_who"],
                trials=tuple(doi for doi, trial in trials.items() if code in trial.points),
            )
        points_by_condition = defaultdict(dict)
        for link in links:
            points_by_condition[link.condition][link.point] = None
        synonyms = self.condition_synonyms(rows["condition_synonyms.csv"], condition_rows)
        conditions = {
            cid: Condition(cid, row["name"], row["group"], row["description"], tuple(points_by_condition[cid]),
                           tuple(synonyms[cid]))
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
            landmarks=MappingProxyType({v: MappingProxyType(marks) for v, marks in landmarks.items()}),
            order_rules=tuple(rule for _, rule in order_rules),
            pathways=MappingProxyType(pathways),
            body=body,
            body_landmarks=MappingProxyType(body_landmarks),
            categories=MappingProxyType(categories),
            trials=MappingProxyType(trials),
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
                if not is_whole(number) or int(number) < 1:
                    self.report(row, "number", f"{number!r} is not a whole number from 1 up; channel points need their number")
                    ok = False
                elif code != f"{row['meridian']}{int(number)}":
                    self.report(row, "code", f"{code!r} does not match meridian {row['meridian']} and number {number}; write {row['meridian']}{int(number)}")
                    ok = False
            elif ok and row["number"] and not is_whole(row["number"]):
                self.report(row, "number", f"{row['number']!r} is not a whole number; leave it empty if the point has none")
                ok = False
            if ok:
                ok = self.who_status(row, meridians[row["meridian"]])
            if ok:
                valid[code] = row
        return valid

    def who_status(self, row: Row, meridian: Meridian) -> bool:
        """WHO points leave ``outside_who`` empty; every other extra point says where it comes from."""
        code, note = row["code"], row["outside_who"]
        if meridian.kind == "channel" or is_who_extra(code):
            if note:
                self.report(row, "outside_who", f"{code} is a WHO point; leave outside_who empty")
                return False
            return True
        if looks_like_who_extra(code):
            self.report(row, "code", f"{code!r} is written like a WHO code but WHO's extra points are EX-HN1..15, "
                                     "EX-CA1, EX-B1..9, EX-UE1..11 and EX-LE1..12; give it an id of its own, like ANMIAN")
            return False
        if not note:
            self.report(row, "outside_who", f"{code} is not one of WHO's 48 extra points; say in one sentence "
                                            "where it comes from, so readers see it is outside the WHO list")
            return False
        return True

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
        """Views with their silhouettes; a data folder's own svg/ wins over the built-in ones."""
        result = {}
        for vid, row in _unique(rows, "id", self.problems).items():
            if not (self.choice(row, "orientation", model.ORIENTATIONS) & self.choice(row, "side", model.VIEW_SIDES)):
                continue
            name = row["svg"]
            if Path(name).name != name or not name.endswith(".svg"):
                self.report(row, "svg", f"{name!r} should be a plain file name ending in .svg, found in the data "
                                        "folder's svg/ or the built-in silhouettes")
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

    def regions(self, rows: list[Row], views, landmarks, placed, pathways):
        """Regional views: each a framing of a checked view, with that view's drawing, landmarks, channel
        lines and the placements inside its box (derived here, so nothing is stored twice)."""
        views, landmarks, placed = dict(views), dict(landmarks), list(placed)
        pathways = {m: list(lines) for m, lines in pathways.items()}
        for rid, row in _unique(rows, "id", self.problems).items():
            if not _SLUG.match(rid):
                self.report(row, "id", f"{rid!r} should be a lowercase slug such as 'lower-back'")
                continue
            if rid in views:
                self.report(row, "id", f"{rid!r} is already a view in views.csv; give the region its own id")
                continue
            if not self.known(row, "view", views, "view") or views[row["view"]].region_of:
                continue
            base = views[row["view"]]
            sides = row["sides"] or "both"
            if sides not in ("both", "left", "right"):
                self.report(row, "sides", f"{sides!r} is not one of: both, left, right")
                continue
            margin = self.number(row, "margin")
            names = row["landmarks"].split()
            unknown = [n for n in names if n not in landmarks.get(base.id, {})]
            if unknown:
                self.report(row, "landmarks", f"{unknown[0]!r} is not a landmark of the {base.id} view")
                continue
            if margin is None or margin < 0:
                if margin is not None:
                    self.report(row, "margin", f"{row['margin']!r} must be 0 or more (cun)")
                continue
            box = _region_box(base, [landmarks[base.id][n] for n in names], sides, margin)
            silhouette = replace(base.silhouette, view_box=box)
            views[rid] = replace(base, id=rid, name=row["name"], description=row["description"], side=(
                base.side if sides == "both" else sides), silhouette=silhouette, region_of=base.id)
            landmarks[rid] = {k: replace(mark, view=rid) for k, mark in landmarks[base.id].items()}
            x0, y0, width, height = box
            for prow, p in list(placed):
                if p.view == base.id and x0 <= p.x <= x0 + width and y0 <= p.y <= y0 + height:
                    placed.append((prow, replace(p, view=rid)))
            for meridian, lines in pathways.items():
                lines.extend(replace(line, view=rid) for line in list(lines) if line.view == base.id)
        return views, landmarks, placed, {m: tuple(lines) for m, lines in pathways.items()}

    def numbers(self, row: Row, column: str, count: int, *, open_ends: bool = False) -> tuple | None:
        """``count`` numbers written in one cell, separated by spaces ("-" for an open end when allowed)."""
        parts = row[column].split()
        example = " ".join(["0"] * count)
        if len(parts) != count:
            self.report(row, column, f"{row[column]!r} should be {count} numbers separated by spaces, like {example!r}")
            return None
        values = []
        for part in parts:
            if open_ends and part == "-":
                values.append(None)
                continue
            try:
                value = float(part)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                self.report(row, column, f"{part!r} in {row[column]!r} is not a number" + (" or -" if open_ends else ""))
                return None
            values.append(value)
        return tuple(values)

    def unit(self, row: Row, column: str) -> np.ndarray | None:
        vector = self.numbers(row, column, 3)
        if vector is None:
            return None
        length = float(np.linalg.norm(vector))
        if abs(length - 1) > 1e-3:
            self.report(row, column, f"{row[column]!r} is not a unit vector (its length is {length:.4f})")
            return None
        return np.array(vector) / length

    def body(self, rows: list[Row], views) -> tuple[Body | None, dict[str, list[Camera]]]:
        """The body and each view's cameras (its panels, in order); (None, {}) for a folder without cameras.csv.

        ``views`` needs only the view ids, so tools can read the cameras before any view is drawn.
        """
        if not rows:
            return None, {}
        own = self.folder / "body" / "body.npz"
        path = own if own.is_file() else default_body_file()
        try:
            body = load_body(path)
        except BodyError as error:
            self.problems.append(Problem(str(path), None, "file", str(error).split(": ", 1)[-1]))
            return None, {}
        cameras: dict[str, list[Camera]] = defaultdict(list)
        seen = {}
        for row in rows:
            if not self.known(row, "view", views, "view"):
                continue
            key = (row["view"], row["panel"])
            if key in seen:
                self.report(row, "panel", f"panel {row['panel']!r} of {row['view']} is already on line {seen[key]}")
                continue
            seen[key] = row.line
            direction, up = self.unit(row, "direction"), self.unit(row, "up")
            scale = self.number(row, "scale", positive=True)
            offset = self.numbers(row, "offset", 2)
            clip = self.numbers(row, "clip", 6, open_ends=True) if row["clip"] else (None,) * 6
            if direction is None or up is None or scale is None or offset is None or clip is None:
                continue
            if abs(float(direction @ up)) > 1e-3:
                self.report(row, "up", f"{row['up']!r} is not at right angles to the direction {row['direction']!r}")
                continue
            camera = Camera(row["view"], row["panel"], tuple(direction.tolist()), tuple(up.tolist()), scale, offset, clip,
                            name=row["name"])
            kept = body.vertices[camera.keeps(body.vertices)]
            if not len(kept):
                self.report(row, "clip", f"keeps none of the body; widen {row['clip']!r}")
                continue
            projected = camera.project(kept)
            box = (*projected.min(axis=0).tolist(), *projected.max(axis=0).tolist())
            cameras[row["view"]].append(replace(camera, box=tuple(box)))
        return body, dict(cameras)

    def body_landmarks(self, rows: list[Row], body: Body | None) -> dict[str, BodyLandmark]:
        if body is None:
            for row in rows[:1]:
                self.report(row, "landmark", "body landmarks need a body: add cameras.csv, or remove body_landmarks.csv")
            return {}
        result = {}
        for lid, row in _unique(rows, "landmark", self.problems).items():
            cun = self.number(row, "cun", positive=True)
            indices = row["vertices"].split()
            if not all(is_whole(i) for i in indices):
                self.report(row, "vertices", f"{row['vertices']!r} should be vertex numbers separated by spaces")
                continue
            missing = [i for i in indices if int(i) not in body.by_source]
            if missing:
                self.report(row, "vertices", f"vertex {missing[0]} is not on the body's skin; pick a skin vertex")
                continue
            if row["weights"]:
                weights = self.numbers(row, "weights", len(indices))
                if weights is None:
                    continue
                if min(weights) < 0 or sum(weights) <= 0:
                    self.report(row, "weights", f"{row['weights']!r} must be positive numbers")
                    continue
            else:
                weights = (1.0,) * len(indices)
            if cun is None:
                continue
            points = np.array([body.vertex(int(i)) for i in indices])
            xyz = (np.asarray(weights)[:, None] * points).sum(axis=0) / sum(weights)
            result[lid] = BodyLandmark(lid, tuple(float(v) for v in xyz), cun, row["description"])
        return result

    def number(self, row: Row, column: str, positive: bool = False) -> float | None:
        try:
            value = float(row[column])
        except ValueError:
            self.report(row, column, f"{row[column]!r} is not a number")
            return None
        if not math.isfinite(value):
            self.report(row, column, f"{row[column]!r} is not a finite number")
            return None
        if positive and value <= 0:
            self.report(row, column, f"{row[column]!r} must be greater than 0")
            return None
        return value

    def landmarks(self, rows: list[Row], views: dict[str, View]) -> dict[str, dict[str, Landmark]]:
        result: dict[str, dict[str, Landmark]] = {vid: {} for vid in views}
        seen = {}
        for row in rows:
            values = [self.number(row, c, positive=(c == "cun")) for c in ("x", "y", "cun")]
            if not self.known(row, "view", views, "view") or None in values:
                continue
            key = (row["view"], row["landmark"])
            if key in seen:
                self.report(row, "landmark", f"{row['landmark']!r} is already defined for {row['view']} on line {seen[key]}")
                continue
            seen[key] = row.line
            result[row["view"]][row["landmark"]] = Landmark(row["view"], row["landmark"], *values, row["description"])
        return result

    def placements(self, rows, points, views, landmarks) -> list[tuple[Row, Placement]]:
        result = []
        seen = {}
        for row in rows:
            ok = self.known(row, "point", points, "point") & self.known(row, "view", views, "view")
            ok &= self.choice(row, "side", model.SIDES) & self.choice(row, "accuracy", model.ACCURACIES)
            x, y = self.number(row, "x"), self.number(row, "y")
            ok &= x is not None and y is not None
            anchor = self.anchor(row, landmarks) if ok else None
            if not ok or anchor is False:
                continue
            group = points[row["point"]]["laterality"] == "group"
            if group and not row["part"]:
                self.report(row, "part", f"{row['point']} is a group point; name which part this placement is")
                continue
            if not group and row["part"]:
                self.report(row, "part", f"{row['point']} is a single point; leave part empty")
                continue
            key = (row["point"], row["view"], row["side"], row["part"])
            if key in seen:
                what = f"{row['side']} placement" + (f" of part {row['part']}" if row["part"] else "")
                self.report(row, "side", f"{row['point']} already has a {what} on {row['view']} (line {seen[key]})")
                continue
            seen[key] = row.line
            result.append((row, Placement(row["point"], row["view"], x, y, row["side"], row["accuracy"],
                                          row["part"], anchor)))
        return result

    def anchor(self, row: Row, landmarks) -> Anchor | None | bool:
        """The row's anchor, None when it has none, False when it is broken."""
        given = [column for column in ("landmark", "across", "down") if row[column]]
        if not given:
            return None
        if len(given) < 3:
            missing = [c for c in ("landmark", "across", "down") if c not in given]
            self.report(row, missing[0], "is empty; an anchored placement needs landmark, across and down")
            return False
        if row["landmark"] not in landmarks.get(row["view"], {}):
            self.report(row, "landmark", f"{row['landmark']!r} is not a landmark of the {row['view']} view; add it to landmarks.csv")
            return False
        across, down = self.number(row, "across"), self.number(row, "down")
        if across is None or down is None:
            return False
        return Anchor(row["landmark"], across, down)

    def order_rules(self, rows, meridians, points, views) -> list[tuple[Row, OrderRule]]:
        result = []
        for row in rows:
            ok = self.known(row, "meridian", meridians, "meridian") & self.known(row, "view", views, "view")
            ok &= self.known(row, "first", points, "point") & self.known(row, "last", points, "point")
            ok &= self.choice(row, "direction", model.DIRECTIONS)
            if not ok:
                continue
            first, last = points[row["first"]], points[row["last"]]
            if first["meridian"] != row["meridian"] or last["meridian"] != row["meridian"]:
                self.report(row, "first", f"{row['first']} and {row['last']} must both be points of {row['meridian']}")
            elif not (is_whole(first["number"]) and is_whole(last["number"])) or int(first["number"]) >= int(last["number"]):
                self.report(row, "last", f"{row['last']} must come after {row['first']} on the channel")
            elif row["direction"] in ("outward", "inward") and views[row["view"]].orientation not in ("front", "back"):
                self.report(row, "direction", f"{row['direction']} needs a front or back view; use viewer-left or viewer-right")
            else:
                result.append((row, OrderRule(row["meridian"], row["view"], row["first"], row["last"], row["direction"])))
        return result

    def pathways(self, rows, meridians, points, views, placed) -> dict[str, tuple[Pathway, ...]]:
        positions = {(p.point, p.view, p.side): (p.x, p.y) for _, p in placed if not p.part}
        lines: dict[tuple, list] = defaultdict(list)
        for row in rows:
            ok = self.known(row, "meridian", meridians, "meridian") & self.known(row, "view", views, "view")
            ok &= self.choice(row, "side", model.SIDES)
            for column in ("line", "seq"):
                if not is_whole(row[column]):
                    self.report(row, column, f"{row[column]!r} is not a whole number")
                    ok = False
            if not ok:
                continue
            if row["point"]:
                if row["x"] or row["y"]:
                    self.report(row, "point", "give either a point or x and y, not both")
                    continue
                if row["point"] not in points or points[row["point"]]["meridian"] != row["meridian"]:
                    self.report(row, "point", f"{row['point']!r} is not a point of {row['meridian']}")
                    continue
                xy = positions.get((row["point"], row["view"], row["side"]))
                if xy is None:
                    self.report(row, "point", f"{row['point']} has no {row['side']} placement on {row['view']}")
                    continue
            else:
                x, y = self.number(row, "x"), self.number(row, "y")
                if x is None or y is None:
                    continue
                xy = (x, y)
            lines[(row["meridian"], row["view"], row["side"], int(row["line"]))].append((int(row["seq"]), row, xy))
        check_pathways(lines, views, self.problems)
        result = defaultdict(list)
        for (meridian, view, side, _), vertices in sorted(lines.items()):
            vertices.sort(key=lambda item: item[0])
            xy = np.array([v[2] for v in vertices], dtype=float)
            xy.flags.writeable = False
            result[meridian].append(Pathway(meridian, view, side, tuple(v[1]["point"] for v in vertices), xy))
        return {meridian: tuple(found) for meridian, found in result.items()}

    def location_notes(self, rows, points, sources) -> dict[str, LocationNote]:
        result, seen = {}, {}
        for row in rows:
            if not (self.known(row, "point", points, "point") & self.known(row, "source", sources, "source")):
                continue
            if row["point"] in seen:
                self.report(row, "point", f"{row['point']} already has a location note on line {seen[row['point']]}; "
                                          "keep one sentence per point")
                continue
            seen[row["point"]] = row.line
            result[row["point"]] = LocationNote(row["note"], row["source"])
        return result

    def categories(self, rows: list[Row], sources: dict[str, Source]) -> dict[str, Category]:
        result = {}
        for cid, row in _unique(rows, "id", self.problems).items():
            ok = self.known(row, "source", sources, "source")
            if not _SLUG.match(cid):
                self.report(row, "id", f"{cid!r} should be a lowercase slug such as 'back-shu'")
                ok = False
            if ok:
                result[cid] = Category(cid, row["name"], row["of"], row["description"], row["source"])
        return result

    def point_categories(self, rows, points, categories, sources) -> dict[str, list[PointCategory]]:
        """Each point's categories, in the order of categories.csv."""
        result = defaultdict(list)
        seen = {}
        for row in rows:
            ok = self.known(row, "point", points, "point") & self.known(row, "category", categories, "category", "categories.csv")
            ok &= self.known(row, "source", sources, "source")
            if not ok:
                continue
            category = categories[row["category"]]
            if category.of and not row["of"]:
                self.report(row, "of", f"is empty; say which {category.of} this {category.name.lower()} belongs to")
                continue
            if row["of"] and not category.of:
                self.report(row, "of", f"{category.id} points belong to nothing; leave it empty or give the "
                                       "category an `of` in categories.csv")
                continue
            key = (row["point"], row["category"], row["of"].casefold())
            if key in seen:
                self.report(row, "category", f"{row['point']} is already {category.id} of {row['of'] or 'nothing'} "
                                             f"on line {seen[key]}")
                continue
            seen[key] = row.line
            result[row["point"]].append(PointCategory(row["category"], row["of"], row["source"], row["note"]))
        order = {cid: i for i, cid in enumerate(categories)}
        return {code: sorted(found, key=lambda c: order[c.category]) for code, found in result.items()}

    def trials(self, rows, point_rows, conditions, points, sources) -> dict[str, Trial]:
        """Randomised trials and the points of their active arms; every trial needs at least one point."""
        found = {}
        for doi, row in _unique(rows, "doi", self.problems, casefold=True).items():
            ok = self.known(row, "source", sources, "source")
            if row["condition"]:
                ok &= self.known(row, "condition", conditions, "condition")
            if not _DOI.match(doi):
                self.report(row, "doi", f"{doi!r} is not a DOI; write it as 10.xxxx/..., without https://doi.org/")
                ok = False
            if row["year"] and not (is_whole(row["year"]) and len(row["year"]) == 4):
                self.report(row, "year", f"{row['year']!r} is not a year like 2004")
                ok = False
            if ok:
                found[doi.casefold()] = row
        used = defaultdict(list)
        for row in point_rows:
            doi = row["doi"].casefold()
            if doi not in found:
                if not any(doi == r["doi"].casefold() for r in rows):
                    self.report(row, "doi", f"{row['doi']!r} is not a trial in trials.csv; add it there first")
                continue
            if not self.known(row, "point", points, "point"):
                continue
            if row["point"] in used[doi]:
                self.report(row, "point", f"{row['point']} is already listed for {row['doi']}")
                continue
            used[doi].append(row["point"])
        result = {}
        for doi, row in found.items():
            if not used[doi]:
                self.report(row, "doi", f"{row['doi']} has no points; list the points of its active arm in "
                                        "trial_points.csv, or remove it")
                continue
            result[row["doi"]] = Trial(row["doi"], row["year"], row["studied"], row["condition"], row["source"],
                                       tuple(used[doi]))
        return result

    def condition_synonyms(self, rows: list[Row], conditions: dict[str, Row]) -> dict[str, list[str]]:
        """Each condition's synonyms; a synonym names one condition, and never another condition's name."""
        names = {}
        for cid, row in conditions.items():
            for text in (cid, row["name"]):
                names.setdefault(name_key(text), cid)
        result, seen = defaultdict(list), {}
        for row in rows:
            if not self.known(row, "condition", conditions, "condition"):
                continue
            key = name_key(row["synonym"])
            if not key:
                self.report(row, "synonym", f"{row['synonym']!r} has no letters or digits to search by")
            elif key in names:
                self.report(row, "synonym", f"{row['synonym']!r} is already the name of {names[key]!r}; "
                                            "a search finds it without a synonym")
            elif key in seen:
                self.report(row, "synonym", f"{row['synonym']!r} is already a synonym on line {seen[key]}; "
                                            "a synonym names one condition")
            else:
                seen[key] = row.line
                result[row["condition"]].append(row["synonym"])
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


def _region_box(base: View, marks: list[Landmark], sides: str, margin: float) -> tuple[float, float, float, float]:
    """The box (x, y, width, height) round the landmarks, their mirror images on a front or back view
    showing both sides, and ``margin`` cun, kept inside the base view."""
    axis = base.silhouette.axis_x
    xs, ys = [m.x for m in marks], [m.y for m in marks]
    if base.orientation in ("front", "back") and sides == "both":
        xs += [2 * axis - x for x in xs]
    pad = margin * float(np.mean([m.cun for m in marks]))
    vx, vy, vw, vh = base.silhouette.view_box
    x0, x1 = max(min(xs) - pad, vx), min(max(xs) + pad, vx + vw)
    y0, y1 = max(min(ys) - pad, vy), min(max(ys) + pad, vy + vh)
    return (round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1))


def _layers(views: dict[str, View], placements: list[Placement]) -> dict[str, ViewLayer]:
    layers = {}
    for vid in views:
        on_view = [p for p in placements if p.view == vid]
        xy = np.array([[p.x, p.y] for p in on_view], dtype=float).reshape(-1, 2)
        xy.flags.writeable = False
        layers[vid] = ViewLayer(tuple(p.point for p in on_view), tuple(p.side for p in on_view),
                                tuple(p.part for p in on_view), xy)
    return layers
