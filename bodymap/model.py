"""The validated, immutable atlas that every later layer reads.

Nothing here reads files: :mod:`bodymap.loader` builds an :class:`Atlas` and
checks it; queries, figures, the app and the CLI only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .body import Body, Camera
from .silhouettes import Silhouette

ILLUSTRATIVE_NOTICE = "Point positions are illustrative, not anatomical."

# "left"/"right": a point on one side only (Jin Jin under the left of the tongue, Yu Ye under the right).
LATERALITIES = ("bilateral", "midline", "group", "left", "right")
SIDES = ("left", "right", "midline")
ACCURACIES = ("illustrative",)
ORIENTATIONS = ("front", "back", "lateral", "closeup")
VIEW_SIDES = ("both", "left", "right")
MERIDIAN_KINDS = ("channel", "extra")
CAUTION_KINDS = ("pregnancy", "deep-needling", "moxibustion", "other")
DIRECTIONS = ("down", "up", "outward", "inward", "viewer-right", "viewer-left")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    author: str
    publisher: str
    kind: str
    year: str
    notes: str

    @property
    def citation(self) -> str:
        """A short reference: title, then whoever wrote or published it."""
        by = ", ".join(part for part in (self.author, self.publisher) if part)
        details = "; ".join(part for part in (by, self.year) if part)
        return f"“{self.title}”" + (f" ({details})" if details else "")


@dataclass(frozen=True)
class Alias:
    """Another way to write a code or name, and the system it belongs to."""

    code: str
    system: str
    note: str = ""
    # True for forms built from a meridian alias and the point number (UB23).
    derived: bool = False


@dataclass(frozen=True)
class Meridian:
    code: str
    name: str
    chinese_name: str
    hanzi: str
    kind: str
    colour: str
    symbol: str
    aliases: tuple[Alias, ...]


@dataclass(frozen=True)
class Caution:
    kind: str
    text: str


@dataclass(frozen=True)
class Landmark:
    """A named spot on a view's silhouette and the size of a cun around it."""

    view: str
    id: str
    x: float
    y: float
    cun: float
    description: str


@dataclass(frozen=True)
class Anchor:
    """A placement measured from a landmark: cun across and cun down."""

    landmark: str
    across: float
    down: float


@dataclass(frozen=True)
class Placement:
    """Where a point is drawn on one view; ``side`` is the patient's.

    ``part`` names one spot of a group point (Jiaji ``T5``, Baxie ``2``).
    """

    point: str
    view: str
    x: float
    y: float
    side: str
    accuracy: str
    part: str = ""
    anchor: Anchor | None = None
    # Where the view's ray through (x, y) meets the body, in body cm; None without a body.
    xyz: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class OrderRule:
    """Points ``first``..``last`` of a meridian move this way on a view."""

    meridian: str
    view: str
    first: str
    last: str
    direction: str


@dataclass(frozen=True)
class Pathway:
    """One polyline of a channel on one view and side.

    ``points`` names the point at each vertex, or "" where the line runs
    between points.
    """

    meridian: str
    view: str
    side: str
    points: tuple[str, ...]
    xy: np.ndarray


@dataclass(frozen=True)
class ConditionLink:
    condition: str
    point: str
    source: str
    note: str


@dataclass(frozen=True)
class LocationNote:
    """Where authorities place a point differently, in one sentence, and who says so."""

    text: str
    source: str


@dataclass(frozen=True)
class Trial:
    """A randomised trial that used points in its active arm: facts only, and never proof a point works.

    ``condition`` is one of the atlas's conditions when one fits, else empty;
    ``studied`` says in our words what the trial was about.
    """

    doi: str
    year: str
    studied: str
    condition: str
    source: str
    points: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"https://doi.org/{self.doi}"


@dataclass(frozen=True)
class Category:
    """A kind of special point (``back-shu``), with the source that defines it.

    ``of`` says what each of its points belongs to (``organ``, ``channel``,
    ``vessel``, ``tissue``), or is empty when its points belong to nothing.
    """

    id: str
    name: str
    of: str
    description: str
    source: str

    @property
    def short_name(self) -> str:
        """The name without its trailing "point": ``Back-shu``."""
        return self.name[:-len(" point")] if self.name.lower().endswith(" point") else self.name


@dataclass(frozen=True)
class PointCategory:
    """One point's place in a category: BL23 is the back-shu point ``of`` the kidney."""

    category: str
    of: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Point:
    code: str
    meridian: str
    number: int | None
    pinyin: str
    hanzi: str
    english: str
    laterality: str
    location: str
    how_to_find: str
    aliases: tuple[Alias, ...]
    cautions: tuple[Caution, ...]
    placements: tuple[Placement, ...]
    links: tuple[ConditionLink, ...]
    categories: tuple[PointCategory, ...] = ()
    location_note: LocationNote | None = None
    # For an extra point that is not one of WHO's 48, where it comes from; empty for WHO points.
    outside_who: str = ""
    # DOIs of randomised trials whose active arm used the point (a research record, not an indication).
    trials: tuple[str, ...] = ()

    @property
    def bilateral(self) -> bool:
        return self.laterality == "bilateral"

    @property
    def who_standard(self) -> bool:
        """A WHO point: one of the 361 channel points or of WHO's 48 extra points."""
        return not self.outside_who

    @property
    def conditions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(link.condition for link in self.links))


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    group: str
    description: str
    points: tuple[str, ...]
    # Other words readers use for it (``lumbago`` for lower back pain), for the search.
    synonyms: tuple[str, ...] = ()
    # The group's heading in the atlas's language (``group`` stays the group's key).
    group_name: str = ""

    @property
    def heading(self) -> str:
        return self.group_name or self.group


@dataclass(frozen=True)
class View:
    id: str
    name: str
    svg: Path
    orientation: str
    side: str
    description: str
    silhouette: Silhouette
    # The view drawn as projections of the body: one camera per panel; none for a 2D-only view.
    cameras: tuple[Camera, ...] = ()
    # A region is a framing of another view (``region_of``): the same drawing and placements in a
    # tighter box (its silhouette's view_box); nothing of it is stored twice.
    region_of: str = ""

    def camera_at(self, x: float, y: float) -> Camera | None:
        """The panel whose drawing holds (x, y): the nearest panel box, for multi-panel views."""
        if len(self.cameras) <= 1:
            return self.cameras[0] if self.cameras else None
        def gap(camera):
            x0, y0, x1, y1 = camera.box
            return max(x0 - x, 0, x - x1) + max(y0 - y, 0, y - y1)
        return min(self.cameras, key=gap)


@dataclass(frozen=True)
class BodyLandmark:
    """A landmark on the body: a weighted mean of skin vertices (hm08 indices), and its cun in cm."""

    id: str
    xyz: tuple[float, float, float]
    cun: float
    description: str


@dataclass(frozen=True)
class ViewLayer:
    """All placements on one view as arrays, for drawing without loops."""

    codes: tuple[str, ...]
    sides: tuple[str, ...]
    parts: tuple[str, ...]
    xy: np.ndarray

    def rows_for(self, codes) -> np.ndarray:
        wanted = set(codes)
        return np.array([i for i, code in enumerate(self.codes) if code in wanted], dtype=int)


@dataclass(frozen=True)
class Language:
    """A language the data speaks: its tag (``en``, ``zh-Hans``), English name and own name."""

    id: str
    name: str
    native: str


@dataclass(frozen=True)
class Translation:
    """One language's data texts; what it leaves out is shown in English."""

    language: Language
    # (English table, key, field) -> text, e.g. ("points.csv", "BL23", "location").
    texts: Mapping[tuple[str, str, str], str]
    # condition id -> the words a reader of this language searches for it by.
    synonyms: Mapping[str, tuple[str, ...]]


# eq=False keeps identity hashing, so derived indexes can be cached per atlas.
@dataclass(frozen=True, eq=False)
class Atlas:
    """Everything bodymap knows, checked and read-only."""

    data_dir: Path
    meridians: Mapping[str, Meridian]
    points: Mapping[str, Point]
    views: Mapping[str, View]
    conditions: Mapping[str, Condition]
    sources: Mapping[str, Source]
    links: tuple[ConditionLink, ...]
    layers: Mapping[str, ViewLayer]
    landmarks: Mapping[str, Mapping[str, Landmark]]
    order_rules: tuple[OrderRule, ...]
    pathways: Mapping[str, tuple[Pathway, ...]]
    categories: Mapping[str, Category]
    trials: Mapping[str, Trial]
    # The body every camera view is drawn from; None for a data folder drawn in 2D only.
    body: Body | None = None
    body_landmarks: Mapping[str, BodyLandmark] = None  # type: ignore[assignment]
    # English first; a data folder without languages.csv speaks English alone.
    languages: Mapping[str, Language] = field(
        default_factory=lambda: MappingProxyType({"en": Language("en", "English", "English")}))
    translations: Mapping[str, Translation] = field(default_factory=lambda: MappingProxyType({}))
    # The language this atlas's texts are in (see bodymap.i18n.localize).
    lang: str = "en"
