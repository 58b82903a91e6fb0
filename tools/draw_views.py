"""Draw every camera view's silhouette from the body: assets/svg/<view>.svg.

Run by hand after the body (tools/make_body.py), a camera (data/cameras.csv)
or a body landmark (data/body_landmarks.csv) changes, from the repository root:

    python tools/draw_views.py [VIEW ...]

For each panel of a view it slices the skin by the camera's clip box and
projects it: the outline is the union of the projected triangles (shapely);
inner contours are the visible edges where the skin turns away from the
viewer (the arm against the trunk, the ear, fingers, toes); light shading is
two grey bands traced from a shaded rendering, so the figure reads in
greyscale print; faint orientation marks (navel, nipples, ribs, spine
levels, malleoli...) are drawn from the body's landmarks. Panels are laid
out left to right, and each panel's offset is written back into
data/cameras.csv so that the drawing and the cameras agree. Then run
`bodymap calibrate` to move the landmarks and placements onto the new drawing.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from html import escape
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bodymap.body import Body, Camera  # noqa: E402
from bodymap.loader import reader  # noqa: E402
from bodymap.problems import DataError, Problem  # noqa: E402
from bodymap.resources import default_data_dir  # noqa: E402
from bodymap.tables import TABLES, read_table  # noqa: E402

SVG_DIR = ROOT / "assets" / "svg"
MARGIN = 20.0  # SVG units around the drawing
BOTTOM = 30.0
GAP = 60.0  # between panels
PIXELS_PER_UNIT = 3.0  # of the shading raster
SHADE_LEVELS = (0.55, 0.32)  # lit fraction below which a band is shaded (lighter band first)
SHADE_BLUR = 3.0  # units
MIN_CONTOUR = 6.0  # units; shorter inner contours are noise


# --- geometry of one panel ---------------------------------------------------------------------------

def clipped(body: Body, camera: Camera):
    """The skin's triangles inside the camera's clip box, cut cleanly along its faces."""
    import trimesh

    mesh = trimesh.Trimesh(body.vertices, body.faces, process=False)
    axes = camera.axes
    for k, value in enumerate(camera.clip):
        if value is None:
            continue
        axis = axes[k // 2]
        normal = axis if k % 2 == 0 else -axis
        mesh = mesh.slice_plane(plane_origin=axis * value, plane_normal=normal, cap=False)
    return np.asarray(mesh.triangles), np.asarray(mesh.face_normals)


def light(camera: Camera) -> np.ndarray:
    """Light from in front of the body and a little above, the same on both sides, so a
    symmetric view stays symmetric and the edges of every limb darken alike."""
    right, up, direction = camera.axes
    vector = 0.35 * up - 0.94 * direction
    return vector / np.linalg.norm(vector)


class Panel:
    def __init__(self, body: Body, camera: Camera):
        self.camera = camera
        self.triangles, self.normals = clipped(body, camera)
        self.facing = self.normals @ np.asarray(camera.direction) < 0
        self.xy = camera.project(self.triangles.reshape(-1, 3)).reshape(-1, 3, 2)
        self.depth = self.triangles.mean(axis=1) @ np.asarray(camera.direction)

    def outline(self):
        import shapely
        from shapely.geometry import Polygon

        polygons = [Polygon(t) for t in self.xy]
        union = shapely.union_all([p for p in polygons if p.is_valid and p.area > 1e-7])
        # Close hairline cracks between triangles, then keep the drawing light.
        return union.buffer(0.25, join_style="round").buffer(-0.25, join_style="round").simplify(0.2)

    def raster(self, bounds):
        """Per-pixel triangle index of the visible skin (-1 outside), painter's algorithm, and its depth."""
        from PIL import Image, ImageDraw

        x0, y0, x1, y1 = bounds
        width, height = int(math.ceil((x1 - x0) * PIXELS_PER_UNIT)) + 1, int(math.ceil((y1 - y0) * PIXELS_PER_UNIT)) + 1
        ids = Image.new("I", (width, height), -1)
        draw = ImageDraw.Draw(ids)
        pixels = (self.xy - [x0, y0]) * PIXELS_PER_UNIT
        for index in np.argsort(-self.depth):
            draw.polygon([tuple(p) for p in pixels[index]], fill=int(index))
        ids = np.array(ids)
        depth = np.where(ids >= 0, self.depth[np.clip(ids, 0, None)], np.inf)
        return ids, depth

    def shading(self, bounds, outline):
        """Polygons of the shaded bands, darkest last, clipped to the outline."""
        import contourpy
        from scipy import ndimage
        from shapely.geometry import Polygon

        ids, _ = self.raster(bounds)
        lit = np.clip(self.normals @ light(self.camera), 0, 1)
        lit[~self.facing] = 0
        inside = ids >= 0
        value = np.where(inside, lit[np.clip(ids, 0, None)], 1.0)
        value = ndimage.gaussian_filter(value, SHADE_BLUR * PIXELS_PER_UNIT)
        generator = contourpy.contour_generator(z=value, fill_type=contourpy.FillType.OuterOffset)
        bands = []
        x0, y0 = bounds[:2]
        for level in SHADE_LEVELS:
            polygons, offsets = generator.filled(-1.0, level)
            shapes = []
            for points, offset in zip(polygons, offsets):
                rings = [points[a:b] / PIXELS_PER_UNIT + [x0, y0] for a, b in zip(offset[:-1], offset[1:])]
                if len(rings[0]) >= 4:
                    shapes.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]).buffer(0))
            import shapely

            band = shapely.union_all(shapes).intersection(outline).simplify(0.4) if shapes else None
            bands.append(band)
        return bands

    def contours(self, bounds, outline):
        """Visible edges where the skin turns away from the viewer, as 2D polylines inside the outline."""
        import shapely
        from shapely.geometry import LineString, MultiLineString

        _, depth = self.raster(bounds)
        x0, y0 = bounds[:2]
        # Edges shared by a facing and a turned-away triangle: match triangles by their corner positions.
        corners = np.round(self.triangles, 4)
        edges: dict[tuple, list[int]] = {}
        for t, tri in enumerate(corners):
            for a, b in ((0, 1), (1, 2), (2, 0)):
                key = tuple(sorted((tuple(tri[a]), tuple(tri[b]))))
                edges.setdefault(key, []).append(t)
        direction = np.asarray(self.camera.direction)
        segments = []
        height, width = depth.shape
        for key, owners in edges.items():
            if len(owners) != 2 or self.facing[owners[0]] == self.facing[owners[1]]:
                continue
            a, b = np.array(key[0]), np.array(key[1])
            visible = True
            for t in (0.25, 0.5, 0.75):
                point = a + t * (b - a)
                (x, y), = self.camera.project(point)
                i, j = int((y - y0) * PIXELS_PER_UNIT), int((x - x0) * PIXELS_PER_UNIT)
                if 0 <= i < height and 0 <= j < width:
                    # Hidden when everything drawn around it lies nearer the viewer than it does.
                    window = depth[max(i - 1, 0):i + 2, max(j - 1, 0):j + 2]
                    if window.max() < point @ direction - 0.5:
                        visible = False
                        break
            if visible:
                segments.append(self.camera.project(np.array([a, b])))
        if not segments:
            return []
        merged = shapely.line_merge(MultiLineString([LineString(s) for s in segments]))
        lines = list(getattr(merged, "geoms", [merged]))
        edge = outline.boundary.buffer(1.2)
        kept = []
        for line in lines:
            inner = line.difference(edge)
            for part in getattr(inner, "geoms", [inner]):
                if part.length >= MIN_CONTOUR:
                    kept.append(part.simplify(0.3))
        return kept


# --- writing the SVG ---------------------------------------------------------------------------------

def _ring(coords) -> str:
    points = list(coords)
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z"


def polygon_path(geometry) -> str:
    """An area as one path: every ring closed, holes by the even-odd rule."""
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        parts.append(_ring(polygon.exterior.coords))
        parts.extend(_ring(ring.coords) for ring in polygon.interiors)
    return " ".join(parts)


def line_path(lines) -> str:
    return " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in line.coords) for line in lines)


def layout(body: Body, cameras: list[Camera], whole_body: bool) -> list[Camera]:
    """Panels side by side from the left, their tops level: each camera's offset."""
    from dataclasses import replace

    placed, cursor = [], MARGIN
    for camera in cameras:
        origin = replace(camera, offset=(0.0, 0.0))
        xy = origin.project(body.vertices[origin.keeps(body.vertices)])
        (left, top), (right, _) = xy.min(axis=0), xy.max(axis=0)
        placed.append(replace(camera, offset=(round(cursor - left, 2), round(MARGIN - top, 2))))
        cursor += right - left + GAP
    return placed


def view_svg(body: Body, view_id: str, name: str, description: str, cameras: list[Camera], marks) -> str:
    outlines, panels = [], []
    for camera in cameras:
        panel = Panel(body, camera)
        outline = panel.outline()
        x0, y0, x1, y1 = outline.bounds
        bounds = (x0 - 4, y0 - 4, x1 + 4, y1 + 4)
        panels.append((panel, outline, panel.shading(bounds, outline), panel.contours(bounds, outline)))
        outlines.append(outline)
    right = max(o.bounds[2] for o in outlines) + MARGIN
    bottom = max(o.bounds[3] for o in outlines) + BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {right:.0f} {bottom:.0f}">',
             f"<title>{escape(name)}</title>",
             f"<desc>{escape(description)} Drawn by tools/draw_views.py from bodymap's body (MakeHuman's CC0 "
             "base mesh; see assets/body/PROVENANCE.md). Illustrative, not anatomical.</desc>"]
    for _, outline, _, _ in panels:
        parts.append(f'<path class="outline" d="{polygon_path(outline)}"/>')
    for level in range(len(SHADE_LEVELS)):
        for _, _, bands, _ in panels:
            if bands[level] is not None and not bands[level].is_empty:
                parts.append(f'<path class="shade" d="{polygon_path(bands[level])}"/>')
    for _, _, _, contours in panels:
        if contours:
            parts.append(f'<path class="detail" d="{line_path(contours)}"/>')
    for mark in marks:
        parts.append(mark)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_offsets(data: Path, cameras: dict[str, list[Camera]]) -> None:
    path = data / "cameras.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_key = {(c.view, c.panel): c for panels in cameras.values() for c in panels}
    for row in rows:
        camera = by_key.get((row["view"], row["panel"]))
        if camera is not None:
            row["offset"] = f"{camera.offset[0]:g} {camera.offset[1]:g}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES["cameras.csv"].columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def main(argv: list[str]) -> int:
    data = default_data_dir()
    problems: list[Problem] = []
    parse = reader(data, problems)
    view_rows = {row["id"]: row for row in read_table(data, TABLES["views.csv"], problems)}
    body, cameras = parse.body(read_table(data, TABLES["cameras.csv"], problems), view_rows)
    if problems or body is None:
        raise DataError(problems or [Problem("cameras.csv", None, "file", "has no cameras")])
    from marks import view_marks

    wanted = argv or list(cameras)
    for view_id in wanted:
        row = view_rows[view_id]
        cameras[view_id] = layout(body, cameras[view_id], row["orientation"] in ("front", "back", "lateral"))
        marks = view_marks(data, body, view_id, cameras[view_id])
        svg = view_svg(body, view_id, row["name"], row["description"], cameras[view_id], marks)
        (SVG_DIR / row["svg"]).write_text(svg, encoding="utf-8")
        print(f"{row['svg']}: {len(svg) // 1024} KB")
    write_offsets(data, cameras)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main(sys.argv[1:]))
