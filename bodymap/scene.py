"""Atlas -> a 3D plotly figure: the body's skin, each point at its one spot, the channels on the skin.

The 2D views are projections of the body; this is the body itself. A point's
spot is where its placements on the drawn views meet the skin (they agree to
within a centimetre or so; the mean is taken). Channel lines follow the 2D
pathways, each segment sampled and laid onto the skin, so no line cuts through
the body.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from .body import Body, load_body
from .figure import hover_text
from .i18n import _
from .model import ILLUSTRATIVE_NOTICE, Atlas

# plotly's 3D markers come in fewer shapes than its 2D ones (and its open shapes and x are
# drawn as font glyphs that may be missing): each meridian's 2D shape maps to a filled 3D one, and
# the colour, the hover and the details say the rest.
SYMBOLS_3D = {
    "circle": "circle", "square": "square", "diamond": "diamond", "cross": "cross",
    "triangle-up": "diamond", "triangle-down": "square", "triangle-left": "circle", "triangle-right": "diamond",
    "pentagon": "circle", "hexagon": "circle", "star": "cross", "diamond-tall": "diamond", "x": "cross",
    "square-x": "square", "star-triangle-up": "square",
}
MARKER_SIZE_3D = 4
SKIN = "#eadfd3"
# Markers and lines sit this far (cm) outside the skin, above the lighter mesh the browser draws.
LIFT_CM = 0.35
# Channel segments are laid on the skin at about this spacing (cm).
STEP_CM = 1.0
# The figure's frame: plotly turns a body about its z axis (turntable), so the body's own frame
# (x to the patient's left, y up, z forward) is drawn as (x, -z, y): up is z, the front looks to -y.
# Views from each side as plotly camera eyes; the browser turns them into buttons.
CAMERAS = {
    "front": {"eye": (0.0, -1.5, 0.05), "up": (0, 0, 1)},
    "back": {"eye": (0.0, 1.5, 0.05), "up": (0, 0, 1)},
    "left": {"eye": (1.5, 0.0, 0.05), "up": (0, 0, 1)},
    "right": {"eye": (-1.5, 0.0, 0.05), "up": (0, 0, 1)},
    "top": {"eye": (0.0, -0.35, 1.6), "up": (0, 0, 1)},
}


@dataclass(frozen=True)
class Spot:
    """A point's one place on the body for one side (and one part of a group point)."""

    code: str
    side: str
    part: str
    xyz: np.ndarray
    normal: np.ndarray


def scene_figure(atlas: Atlas, *, web_body: Path | None = None, height: int = 640) -> go.Figure:
    """The atlas in 3D: the skin as one mesh, every placed point, and the channel lines.

    Parameters
    ----------
    atlas:
        A loaded :class:`~bodymap.model.Atlas` with a body (``atlas.body``); a data
        folder drawn in 2D only has none and gets :class:`ValueError`.
    web_body:
        The mesh to draw: by default the lighter copy of the body made for
        browsers (``body-web.npz`` beside the body file; the body itself where there is
        none); the points always sit on the full body.
    height:
        Figure height in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        A ``mesh3d`` skin (``meta.kind == "skin"``); one ``scatter3d`` marker trace of every spot,
        in meridian order (``meta.kind == "points"``, ``customdata`` the codes, ``meta.meridians``
        each spot's meridian, coloured and shaped by it) and one line trace per channel
        (``meta.kind == "channel"``), all present from the start so a browser can filter them; an
        empty ``"selected"`` trace for the ring; the scene fixed to the body's proportions, with
        no axes. ``layout.meta`` carries the spots' normals and the camera presets.
    """
    return _Scene(atlas, web_body, height).build()


class _Scene:
    def __init__(self, atlas: Atlas, web_body: Path | None, height: int):
        if atlas.body is None:
            raise ValueError("this atlas has no body (no cameras.csv), so it has no 3D view")
        if height <= 0:
            raise ValueError("height must be positive")
        self.atlas = atlas
        self.body = atlas.body
        self.web = _web_body(str(web_body or atlas.body.file.with_name("body-web.npz")))
        self.height = height
        self.spots = body_spots(atlas)

    def build(self) -> go.Figure:
        figure = go.Figure(layout=self._layout())
        # plotly.py's default template is a dozen kilobytes of styles for traces this figure has not.
        figure.layout.template = None
        figure.add_trace(self._skin())
        for meridian in self.atlas.meridians:
            line = self._channel(meridian)
            if line is not None:
                figure.add_trace(line)
        # Every point in one trace, coloured and shaped by its meridian: each 3D trace is a drawing
        # object of its own that plotly rebuilds on every change, so one costs a fifteenth of fifteen.
        order = {code: k for k, code in enumerate(self.atlas.meridians)}
        figure.add_trace(self._points(sorted(self.spots, key=lambda s: order[self.atlas.points[s.code].meridian])))
        figure.add_trace(go.Scatter3d(
            x=[], y=[], z=[], mode="markers", hoverinfo="skip", showlegend=False, name="selected",
            meta=dict(kind="selected"), marker=dict(size=MARKER_SIZE_3D * 2.6, color="#111111",
                                                    symbol="circle-open", line=dict(width=4, color="#111111"))))
        return figure

    def _skin(self) -> go.Mesh3d:
        vertices, faces = self.web
        vertices = _drawn(vertices)
        return go.Mesh3d(
            x=_rounded(vertices[:, 0]), y=_rounded(vertices[:, 1]), z=_rounded(vertices[:, 2]),
            i=faces[:, 0].tolist(), j=faces[:, 1].tolist(), k=faces[:, 2].tolist(),
            color=SKIN, flatshading=False, hoverinfo="skip", name="body", showscale=False,
            lighting=dict(ambient=0.55, diffuse=0.7, specular=0.05, roughness=0.9, fresnel=0.1),
            lightposition=dict(x=100, y=200, z=300), meta=dict(kind="skin"),
        )

    def _points(self, spots: list[Spot]) -> go.Scatter3d:
        at = _drawn([s.xyz + s.normal * LIFT_CM for s in spots])
        meridians = [self.atlas.meridians[self.atlas.points[s.code].meridian] for s in spots]
        return go.Scatter3d(
            x=_rounded(at[:, 0]), y=_rounded(at[:, 1]), z=_rounded(at[:, 2]), mode="markers",
            customdata=[s.code for s in spots],
            hovertext=[hover_text(self.atlas.points[s.code], s.side) for s in spots], hoverinfo="text",
            name="points", showlegend=False,
            meta=dict(kind="points", meridians=[m.code for m in meridians]),
            marker=dict(size=MARKER_SIZE_3D, color=[m.colour for m in meridians],
                        symbol=[SYMBOLS_3D.get(m.symbol, "circle") for m in meridians]),
        )

    def _channel(self, meridian_code: str) -> go.Scatter3d | None:
        paths = channel_paths(self.atlas, meridian_code, self.spots)
        if not paths:
            return None
        xs, ys, zs = [], [], []
        for path in map(_drawn, paths):
            xs += _rounded(path[:, 0]) + [None]
            ys += _rounded(path[:, 1]) + [None]
            zs += _rounded(path[:, 2]) + [None]
        meridian = self.atlas.meridians[meridian_code]
        return go.Scatter3d(x=xs, y=ys, z=zs, mode="lines", hoverinfo="skip", showlegend=False,
                            name=f"{meridian.code} channel", meta=dict(kind="channel", meridian=meridian.code),
                            line=dict(color=meridian.colour, width=3), connectgaps=False)

    def _layout(self) -> go.Layout:
        drawn = _drawn(self.body.vertices)
        low, high = drawn.min(axis=0), drawn.max(axis=0)
        # A box as wide and deep as the body is tall, so the body stays whole however it turns;
        # equal scaling on all three axes.
        centre, half = (low + high) / 2, (high - low).max() / 2 * 1.02
        ranges = [[float(c - half), float(c + half)] for c in centre]
        axis = dict(visible=False, showgrid=False, zeroline=False, showspikes=False, autorange=False)
        normals = {f"{s.code}|{s.side}|{s.part}": _rounded(_drawn(s.normal)[0], 3) for s in self.spots}
        return go.Layout(
            height=self.height, margin=dict(l=0, r=0, t=30, b=0), paper_bgcolor="white", showlegend=False,
            scene=dict(
                xaxis=dict(axis, range=ranges[0]), yaxis=dict(axis, range=ranges[1]),
                zaxis=dict(axis, range=ranges[2]), aspectmode="cube", dragmode="turntable",
                camera=dict(eye=dict(zip("xyz", CAMERAS["front"]["eye"])), up=dict(x=0, y=0, z=1),
                            center=dict(x=0, y=0, z=0), projection=dict(type="perspective")),
            ),
            hoverlabel=dict(bgcolor="white", font=dict(size=12)),
            annotations=[dict(text=_(ILLUSTRATIVE_NOTICE), xref="paper", yref="paper", x=0, y=1, xanchor="left",
                              yanchor="bottom", yshift=4, showarrow=False, font=dict(size=11, color="#555555"))],
            meta=dict(view="3d", notice=_(ILLUSTRATIVE_NOTICE), cameras=CAMERAS, normals=normals,
                      centre=_rounded(centre, 2), half=round(float(half), 2)),
            uirevision="3d",
        )


def body_spots(atlas: Atlas) -> list[Spot]:
    """Every point's spot on the body, one per side and part, in the atlas's point order."""
    return list(_spots(atlas))


@lru_cache(maxsize=4)
def _spots(atlas: Atlas) -> tuple[Spot, ...]:
    found: dict[tuple[str, str, str], list] = {}
    for code, point in atlas.points.items():
        for placement in point.placements:
            if placement.xyz is None or atlas.views[placement.view].region_of:
                continue
            found.setdefault((code, placement.side, placement.part), []).append(placement.xyz)
    if not found:
        return ()
    keys = list(found)
    centres = np.array([np.mean(found[k], axis=0) for k in keys])
    on_skin, normals = _onto_skin(atlas.body, centres)
    return tuple(Spot(code, side, part, xyz, normal)
                 for (code, side, part), xyz, normal in zip(keys, on_skin, normals))


def channel_paths(atlas: Atlas, meridian: str, spots: list[Spot] | None = None) -> list[np.ndarray]:
    """A channel's course on the skin: polylines (N, 3) in body cm, LIFT_CM outside it.

    Each 2D pathway of a drawn view becomes a 3D one: its points at their spots, its waypoints where
    the view's camera sees them on the skin. A stretch between two points drawn on several views is
    kept once. Every segment is sampled about every centimetre and each sample moved to the skin.
    """
    spots = spots if spots is not None else body_spots(atlas)
    where = {(s.code, s.side): s.xyz for s in spots if not s.part}
    seen: set = set()
    chords: list[list[np.ndarray]] = []
    for pathway in atlas.pathways.get(meridian, ()):
        view = atlas.views[pathway.view]
        if view.region_of or not view.cameras:
            continue
        current: list[np.ndarray] = []
        previous = None
        for code, (x, y) in zip(pathway.points, pathway.xy):
            if code:
                xyz = where.get((code, pathway.side))
            else:
                xyz = _waypoint(atlas, view, x, y)
            key = (code, pathway.side) if code else None
            stretch = (frozenset((previous, key)) if previous and key else None)
            if xyz is None or (stretch is not None and stretch in seen):
                if len(current) > 1:
                    chords.append(current)
                current = [xyz] if xyz is not None else []
                previous = key
                continue
            if stretch is not None:
                seen.add(stretch)
            current.append(np.asarray(xyz, dtype=float))
            previous = key
        if len(current) > 1:
            chords.append(current)
    return _lay_on_skin(atlas.body, chords)


def _waypoint(atlas: Atlas, view, x: float, y: float):
    from .body import lift_all

    camera = view.camera_at(x, y)
    if camera is None:
        return None
    lift = lift_all(atlas.body, [(camera, float(x), float(y), False)])[0]
    return None if lift.xyz is None else np.asarray(lift.xyz)


def _lay_on_skin(body: Body, chords: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Each chord as a path over the skin: from vertex to vertex along the mesh's edges, the shortest
    way between each pair of stops, so the line stays on the surface round the jaw or across the
    cleft of the buttocks where a straight chord would dip under it; then lifted LIFT_CM off the skin."""
    if not chords:
        return []
    from scipy.sparse.csgraph import dijkstra

    graph, vertex_normals = _edge_graph(body)
    stops = [np.asarray(chord) for chord in chords]
    nearest = _nearest_vertex(body, np.concatenate(stops))
    ends = np.cumsum([len(c) for c in stops])[:-1]
    indices = np.split(nearest, ends)
    sources = np.unique(np.concatenate([line[:-1] for line in indices]))
    longest = max(float(np.linalg.norm(np.diff(c, axis=0), axis=1).max()) for c in stops)
    _distances, previous = dijkstra(graph, directed=False, indices=sources, return_predecessors=True,
                           limit=3 * longest + 10)
    row = {int(v): k for k, v in enumerate(sources)}
    laid = []
    for line in indices:
        path = [int(line[0])]
        for a, b in zip(line[:-1], line[1:]):
            steps, here = [], int(b)
            while here != int(a) and here >= 0:
                steps.append(here)
                here = int(previous[row[int(a)], here])
            if here < 0:  # not reached within the limit: a straight step rather than none
                steps = [int(b)]
            path.extend(reversed(steps))
        path = np.array(path)
        laid.append(body.vertices[path] + vertex_normals[path] * LIFT_CM)
    return laid


@lru_cache(maxsize=2)
def _edge_graph(body: Body):
    """The mesh's edges as a sparse graph weighted by length, and each vertex's outward normal."""
    from scipy.sparse import coo_matrix

    with _MESH_LOCK:
        mesh = _mesh(body)
        edges, lengths, normals = mesh.edges_unique, mesh.edges_unique_length, np.asarray(mesh.vertex_normals)
    count = len(body.vertices)
    graph = coo_matrix((lengths, (edges[:, 0], edges[:, 1])), shape=(count, count)).tocsr()
    return graph, normals


def _nearest_vertex(body: Body, xyz: np.ndarray) -> np.ndarray:
    """The skin vertex nearest each of ``xyz``, by way of the nearest triangle."""
    import trimesh

    with _MESH_LOCK:
        closest, _distances, triangles = trimesh.proximity.closest_point(_mesh(body), np.asarray(xyz, dtype=float))
    corners = body.faces[triangles]
    gaps = np.linalg.norm(body.vertices[corners] - closest[:, None, :], axis=2)
    return corners[np.arange(len(corners)), np.argmin(gaps, axis=1)]


def _onto_skin(body: Body, xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nearest skin point to each of ``xyz`` and the skin's outward normal there."""
    import trimesh

    with _MESH_LOCK:
        closest, _distances, triangles = trimesh.proximity.closest_point(_mesh(body), np.asarray(xyz, dtype=float))
    return closest, body.normals[triangles]


# trimesh fills the shared mesh's search structures on first use, and not safely from two threads
# at once: each scene (one per language) may be built in a thread of its own.
_MESH_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _mesh(body: Body):
    import trimesh

    return trimesh.Trimesh(body.vertices, body.faces, process=False)


@lru_cache(maxsize=2)
def _web_body(path: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return np.asarray(stored["vertices"], dtype=float), np.asarray(stored["faces"], dtype=np.int64)
    except (OSError, KeyError, ValueError):
        # The lighter mesh is only a copy for browsers; the full body serves when it is missing.
        body = load_body(Path(path).with_name("body.npz"))
        return np.asarray(body.vertices), np.asarray(body.faces, dtype=np.int64)


def _drawn(xyz: np.ndarray) -> np.ndarray:
    """Body frame (x left, y up, z forward) to the figure's (x, -z, y)."""
    xyz = np.asarray(xyz, dtype=float).reshape(-1, 3)
    return np.column_stack([xyz[:, 0], -xyz[:, 2], xyz[:, 1]])


def _rounded(values, digits: int = 2) -> list[float]:
    return [round(float(v), digits) for v in values]
