"""Body silhouettes: SVG outlines read once into drawing paths and polygons.

A silhouette file holds one ``viewBox`` and ``<path>`` elements, by class:

- ``outline`` (or no class): the body. Each path's closed rings are read by
  the even-odd rule (a ring inside another is a hole, such as the space
  between a hanging arm and the trunk); the union of the outline paths is the
  body, which decides whether a point lies on it, and its bounding box is the
  body's extent.
- ``shade``: closed areas drawn as light shading over the body.
- ``detail``: interior lines (contours, creases) drawn for orientation.
- ``mark``: faint orientation marks (navel, ribs, spine levels); a
  ``<text class="mark">`` names one.

The views shipped with bodymap are drawn this way from the body by
``tools/draw_views.py``; a data folder may bring its own.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

import numpy as np

from .problems import Problem, display_path

MAX_SVG_BYTES = 5_000_000
# Bump when the parsed form changes, so stale cache entries are ignored.
_CACHE_FORMAT = "3"
_SAMPLES_PER_SEGMENT = 8
_ALLOWED_ELEMENTS = {"svg", "path", "title", "desc", "text"}
_CLASSES = ("outline", "shade", "detail", "mark")


class SvgError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Silhouette:
    """The geometry of one view's body outline, in SVG user units.

    ``polygons`` are the outline's rings and ``groups`` says which path each
    ring came from: rings of one path combine by the even-odd rule, paths by
    union. ``shade_paths`` are filled shading areas, lightest first;
    ``mark_path`` the orientation marks and ``labels`` their (x, y, text).
    """

    file: Path
    view_box: tuple[float, float, float, float]
    outline_path: str
    detail_path: str
    polygons: tuple[np.ndarray, ...]
    bbox: tuple[float, float, float, float]
    groups: tuple[int, ...] = ()
    shade_paths: tuple[str, ...] = ()
    mark_path: str = ""
    labels: tuple[tuple[float, float, str], ...] = ()

    @property
    def axis_x(self) -> float:
        """The vertical line the body is drawn around (its bbox centre)."""
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def contains(self, xy: np.ndarray, edge: float = 0.0) -> np.ndarray:
        """Which of the (N, 2) points fall inside the body outline, or within ``edge`` units of it."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        groups = self.groups or tuple(range(len(self.polygons)))
        inside = np.zeros(len(xy), dtype=bool)
        for group in sorted(set(groups)):
            rings = [p for p, g in zip(self.polygons, groups) if g == group]
            parity = np.zeros(len(xy), dtype=bool)
            for polygon in rings:
                # Only points within the ring's bounding box need the full test.
                low, high = polygon.min(axis=0), polygon.max(axis=0)
                near = np.flatnonzero(((xy >= low) & (xy <= high)).all(axis=1))
                if len(near):
                    parity[near] ^= _inside_polygon(xy[near], polygon)
            inside |= parity
        if edge > 0 and not inside.all():
            outside = np.flatnonzero(~inside)
            inside[outside] = np.array([min(_distance_to_ring(point, p) for p in self.polygons) <= edge
                                        for point in xy[outside]])
        return inside

    def width_at(self, y: float) -> float:
        """Total outline width crossed by a horizontal line at ``y``."""
        width = 0.0
        for polygon in self.polygons:
            xs = sorted(_crossings(polygon, y))
            width += sum(b - a for a, b in zip(xs[0::2], xs[1::2]))
        return width


def _inside_polygon(xy: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    # Even-odd ray casting, vectorised over points and edges.
    x, y = xy[:, 0:1], xy[:, 1:2]
    x1, y1 = polygon[:, 0], polygon[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    straddles = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return np.count_nonzero(straddles & (x < x_cross), axis=1) % 2 == 1


def _distance_to_ring(point: np.ndarray, polygon: np.ndarray) -> float:
    start, end = polygon, np.roll(polygon, -1, axis=0)
    along = end - start
    length = np.maximum((along ** 2).sum(axis=1), 1e-12)
    t = np.clip(((point - start) * along).sum(axis=1) / length, 0, 1)
    return float(np.hypot(*(start + t[:, None] * along - point).T).min())


def _crossings(polygon: np.ndarray, y: float) -> list[float]:
    x1, y1 = polygon[:, 0], polygon[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    straddles = (y1 > y) != (y2 > y)
    t = (y - y1[straddles]) / (y2[straddles] - y1[straddles])
    return list(x1[straddles] + t * (x2[straddles] - x1[straddles]))


def load_silhouette(path: Path) -> Silhouette:
    """Read a silhouette SVG, raising :class:`SvgError` with every problem."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise SvgError([Problem(display_path(path), None, "file", "not found; check the view's svg column")]) from None
    return _load_cached(path.resolve(), stat.st_mtime_ns, stat.st_size, display_path(path))


@lru_cache(maxsize=64)
def _load_cached(path: Path, _mtime_ns: int, size: int, shown: str) -> Silhouette:
    if size > MAX_SVG_BYTES:
        raise SvgError([Problem(shown, None, "file", f"is {size} bytes; a silhouette may be at most {MAX_SVG_BYTES} bytes")])
    try:
        content = path.read_bytes()
    except OSError as error:
        raise SvgError([Problem(shown, None, "file", f"cannot be read ({error.strerror})")]) from None
    key = hashlib.sha256(_CACHE_FORMAT.encode() + content).hexdigest()
    cached = _read_cache(path, key)
    if cached is not None:
        return cached
    silhouette = _parse(path, content, shown)
    _write_cache(silhouette, key)
    return silhouette


def _cache_dir() -> Path:
    base = os.environ.get("BODYMAP_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bodymap" / "silhouettes"


def _read_cache(path: Path, key: str) -> Silhouette | None:
    """A silhouette parsed before from the same bytes: it spares importing svgpathtools (and scipy)."""
    try:
        with np.load(_cache_dir() / f"{key}.npz", allow_pickle=False) as stored:
            lengths = stored["lengths"]
            points = stored["points"]
            polygons = tuple(np.split(points, np.cumsum(lengths)[:-1]))
            for polygon in polygons:
                polygon.flags.writeable = False
            labels = tuple((float(x), float(y), str(t)) for (x, y), t in zip(stored["label_xy"], stored["label_text"]))
            return Silhouette(path, tuple(stored["view_box"].tolist()), str(stored["outline"]), str(stored["detail"]),
                              polygons, tuple(stored["bbox"].tolist()), tuple(int(g) for g in stored["groups"]),
                              tuple(str(p) for p in stored["shades"]), str(stored["marks"]), labels)
    except (OSError, KeyError, ValueError):
        return None


def _write_cache(silhouette: Silhouette, key: str) -> None:
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".npz")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, lengths=np.array([len(p) for p in silhouette.polygons]),
                     points=np.vstack(silhouette.polygons), view_box=np.array(silhouette.view_box),
                     outline=np.array(silhouette.outline_path), detail=np.array(silhouette.detail_path),
                     bbox=np.array(silhouette.bbox), groups=np.array(silhouette.groups, dtype=int),
                     shades=np.array(silhouette.shade_paths, dtype=str), marks=np.array(silhouette.mark_path),
                     label_xy=np.array([(x, y) for x, y, _ in silhouette.labels], dtype=float).reshape(-1, 2),
                     label_text=np.array([t for _, _, t in silhouette.labels], dtype=str))
        os.replace(temporary, folder / f"{key}.npz")
    except OSError:
        pass  # a cache that cannot be written only costs time


def _parse(path: Path, content: bytes, shown: str) -> Silhouette:
    problems: list[Problem] = []

    def problem(line: int | None, field: str, message: str) -> None:
        problems.append(Problem(shown, line, field, message))

    elements = _read_elements(content, shown)

    view_box = None
    paths: dict[str, list] = {kind: [] for kind in _CLASSES}
    labels = []
    for line, name, attrs, text in elements:
        if "transform" in attrs:
            problem(line, "transform", f"<{name}> has a transform; flatten it into the coordinates")
        if name not in _ALLOWED_ELEMENTS:
            problem(line, name, "is not allowed; a silhouette holds only <path> and <text class=\"mark\"> elements "
                                "(and <title>, <desc>)")
        if name == "svg" and view_box is not None:
            problem(line, "svg", "a silhouette has one <svg> element with one viewBox; remove the nested one")
        elif name == "svg":
            view_box = _parse_view_box(attrs.get("viewBox"), line, problem)
        elif name == "path":
            classes = attrs.get("class", "outline").split() or ["outline"]
            kind = next((c for c in _CLASSES if c in classes), None)
            if kind is None:
                problem(line, "class", f"{attrs.get('class')!r} is not one of: {', '.join(_CLASSES)}")
                continue
            paths[kind].append((line, attrs.get("d", "")))
        elif name == "text":
            try:
                x, y = float(attrs.get("x", "")), float(attrs.get("y", ""))
            except ValueError:
                problem(line, "text", "a mark's label needs numeric x and y")
                continue
            if not (math.isfinite(x) and math.isfinite(y)):
                problem(line, "text", "a mark's label needs finite x and y")
                continue
            labels.append((x, y, text.strip()[:40]))
    if view_box is None and not any(p.field == "viewBox" for p in problems):
        problem(1, "viewBox", "the <svg> element needs a viewBox")
    if not paths["outline"]:
        problem(None, "path", "no outline path found; draw the body as closed <path> elements")

    outline_commands, polygons, groups = [], [], []
    for group, (line, d) in enumerate(paths["outline"]):
        parsed = _parse_d(d, line, problem)
        if parsed is None:
            continue
        for subpath in parsed.continuous_subpaths():
            if not subpath.isclosed():
                problem(line, "d", "outline path is not closed; end each outline subpath where it starts (Z)")
                continue
            outline_commands.append(_plotly_commands(subpath))
            polygons.append(_polygon(subpath))
            groups.append(group)
    shades = []
    for line, d in paths["shade"]:
        parsed = _parse_d(d, line, problem)
        if parsed is not None:
            shades.append(" ".join(_plotly_commands(sub) for sub in parsed.continuous_subpaths()))
    lines = {}
    for kind in ("detail", "mark"):
        commands = []
        for line, d in paths[kind]:
            parsed = _parse_d(d, line, problem)
            if parsed is not None:
                commands.extend(_plotly_commands(sub, close=sub.isclosed()) for sub in parsed.continuous_subpaths())
        lines[kind] = " ".join(commands)
    if problems:
        raise SvgError(problems)

    stacked = np.vstack(polygons)
    bbox = (float(stacked[:, 0].min()), float(stacked[:, 1].min()), float(stacked[:, 0].max()), float(stacked[:, 1].max()))
    for polygon in polygons:
        polygon.flags.writeable = False
    return Silhouette(path, view_box, " ".join(outline_commands), lines["detail"], tuple(polygons), bbox,
                      tuple(groups), tuple(shades), lines["mark"], tuple(labels))


def _read_elements(content: bytes, shown: str) -> list[tuple[int, str, dict, str]]:
    """Each element with its line, local name, attributes and (for <text>) its text."""
    elements: list[list] = []
    parser = expat.ParserCreate()

    def start(name: str, attrs: dict) -> None:
        local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
        elements.append([parser.CurrentLineNumber, local, attrs, ""])

    def text(data: str) -> None:
        if elements and elements[-1][1] == "text":
            elements[-1][3] += data

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    try:
        parser.Parse(content, True)
    except expat.ExpatError as error:
        raise SvgError([Problem(shown, error.lineno, "xml", f"{expat.errors.messages[error.code]}; fix the markup")]) from None
    return [tuple(element) for element in elements]


def _parse_view_box(text, line, problem):
    if not text:
        problem(line, "viewBox", "the <svg> element needs a viewBox")
        return None
    try:
        numbers = tuple(float(part) for part in text.replace(",", " ").split())
    except ValueError:
        numbers = ()
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers) or numbers[2] <= 0 or numbers[3] <= 0:
        problem(line, "viewBox", f"{text!r} is not 'min-x min-y width height' with a positive width and height")
        return None
    return numbers


def _parse_d(d: str, line: int, problem):
    import svgpathtools  # slow to import (it pulls in scipy); only needed on a cache miss

    if not d.strip():
        problem(line, "d", "path has no drawing commands")
        return None
    try:
        parsed = svgpathtools.parse_path(d)
    except Exception as error:  # svgpathtools raises bare errors of several kinds
        problem(line, "d", f"cannot be parsed ({error}); use SVG path commands M, L, C, Q, Z")
        return None
    if len(parsed) == 0:
        problem(line, "d", "path has no drawing commands")
        return None
    points = np.array([[p.real, p.imag] for seg in parsed for p in seg.bpoints()])
    if not np.isfinite(points).all():
        problem(line, "d", "holds a coordinate that is not a finite number")
        return None
    return parsed


def _fmt(z: complex) -> str:
    return f"{z.real:.1f},{z.imag:.1f}"


def _plotly_commands(subpath, close: bool = True) -> str:
    import svgpathtools

    # Plotly shape paths accept M, L, Q, C and Z but not arcs, so arcs become lines.
    parts = [f"M{_fmt(subpath.start)}"]
    for segment in subpath:
        if isinstance(segment, svgpathtools.CubicBezier):
            parts.append(f"C{_fmt(segment.control1)} {_fmt(segment.control2)} {_fmt(segment.end)}")
        elif isinstance(segment, svgpathtools.QuadraticBezier):
            parts.append(f"Q{_fmt(segment.control)} {_fmt(segment.end)}")
        elif isinstance(segment, svgpathtools.Line):
            parts.append(f"L{_fmt(segment.end)}")
        else:
            parts.extend(f"L{_fmt(segment.point(t))}" for t in np.linspace(0, 1, _SAMPLES_PER_SEGMENT)[1:])
    if close:
        parts.append("Z")
    return " ".join(parts)


def _polygon(subpath) -> np.ndarray:
    import svgpathtools

    t = np.linspace(0.0, 1.0, _SAMPLES_PER_SEGMENT, endpoint=False)
    chunks = []
    for segment in subpath:
        if isinstance(segment, (svgpathtools.CubicBezier, svgpathtools.QuadraticBezier, svgpathtools.Line)):
            # Bernstein form, evaluated for all samples at once.
            controls = np.array(segment.bpoints())
            degree = len(controls) - 1
            basis = np.stack([math.comb(degree, k) * t**k * (1 - t) ** (degree - k) for k in range(degree + 1)])
            chunks.append(controls @ basis)
        else:
            chunks.append(np.array([segment.point(ti) for ti in t]))
    points = np.concatenate(chunks)
    return np.column_stack([points.real, points.imag])

