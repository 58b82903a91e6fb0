"""The body and its cameras: one 3D skin from which every view is drawn.

Body coordinates are centimetres with the origin on the floor midway between
the ankles, +x toward the patient's left, +y up and +z forward. A view is one
or more orthographic cameras (panels: the hand view shows the back of the
hand and the palm side by side); a camera maps a body point p to the view's
SVG units as

    x = offset_x + scale * (p . right),   y = offset_y - scale * (p . up),

with ``right = direction x up``. Lifting goes the other way: the camera's ray
through (x, y) meets the skin (trimesh's ray casting), or, for a point on the
midline seen from the side, the skin's midline section.

Nothing here reads the data tables; the loader hands cameras in and gets
positions back. trimesh is imported only when a lift is not in the cache.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

# How far a point may lie from the skin's midline section, in cm, and still be
# taken as lying on it (a side view's outline is drawn from the skin itself).
MIDLINE_SNAP = 3.0
_CACHE_FORMAT = "2"


class BodyError(Exception):
    """The body file cannot be used; the message says which file and why."""


@dataclass(frozen=True)
class Camera:
    """One orthographic panel of a view.

    ``direction`` points from the camera toward the body and ``up`` is the
    screen's up, both unit vectors in body coordinates; ``scale`` is SVG units
    per cm and ``offset`` the SVG position of the body's origin. ``clip`` keeps
    only the skin inside a box in the camera's own axes through the body's
    origin (right_min, right_max, up_min, up_max, depth_min, depth_max in cm;
    None for an open side), so a close-up of the right leg's inner side is not
    hidden by the left leg, and a cut across a limb is square to the panel.
    """

    view: str
    panel: str
    direction: tuple[float, float, float]
    up: tuple[float, float, float]
    scale: float
    offset: tuple[float, float]
    clip: tuple[float | None, ...] = (None,) * 6
    # The panel's drawing in SVG units (x0, y0, x1, y1): the projection of the skin it keeps.
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    name: str = ""

    @cached_property
    def right(self) -> np.ndarray:
        d, u = self.direction, self.up
        return np.array([d[1] * u[2] - d[2] * u[1], d[2] * u[0] - d[0] * u[2], d[0] * u[1] - d[1] * u[0]])

    def project(self, xyz) -> np.ndarray:
        """(N, 3) body points -> (N, 2) SVG positions on this panel."""
        xyz = np.asarray(xyz, dtype=float).reshape(-1, 3)
        return np.column_stack([self.offset[0] + self.scale * (xyz @ self.right),
                                self.offset[1] - self.scale * (xyz @ np.asarray(self.up))])

    def ray(self, xy, far: float = 1000.0) -> tuple[np.ndarray, np.ndarray]:
        """Ray origins (far in front of the camera) and directions through (N, 2) SVG positions."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        across = (xy[:, 0:1] - self.offset[0]) / self.scale
        upward = (self.offset[1] - xy[:, 1:2]) / self.scale
        direction = np.asarray(self.direction, dtype=float)
        origins = across * self.right + upward * np.asarray(self.up) - far * direction
        return origins, np.tile(direction, (len(xy), 1))

    @property
    def axes(self) -> np.ndarray:
        """The camera's right, up and viewing direction as rows."""
        return np.array([self.right, self.up, self.direction], dtype=float)

    def keeps(self, xyz) -> np.ndarray:
        """Which (N, 3) body points lie inside the clip box."""
        local = np.asarray(xyz, dtype=float).reshape(-1, 3) @ self.axes.T
        inside = np.ones(len(local), dtype=bool)
        for axis in range(3):
            low, high = self.clip[2 * axis], self.clip[2 * axis + 1]
            if low is not None:
                inside &= local[:, axis] >= low
            if high is not None:
                inside &= local[:, axis] <= high
        return inside

    def as_json(self) -> dict:
        return {"direction": [round(v, 6) for v in self.direction], "up": [round(v, 6) for v in self.up],
                "scale": round(self.scale, 6), "offset": [round(v, 3) for v in self.offset]}


@dataclass(frozen=True, eq=False)
class Body:
    """The skin: vertices in cm, triangles, and each vertex's index in MakeHuman's hm08 mesh."""

    file: Path
    vertices: np.ndarray
    faces: np.ndarray
    source_vertex: np.ndarray
    joints: dict = field(default_factory=dict)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.file.read_bytes()).hexdigest()

    @cached_property
    def by_source(self) -> dict[int, int]:
        return {int(s): i for i, s in enumerate(self.source_vertex)}

    @cached_property
    def normals(self) -> np.ndarray:
        corners = self.vertices[self.faces]
        normal = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
        return normal / np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)

    def vertex(self, source: int) -> np.ndarray:
        """A skin vertex by its hm08 index; KeyError when the skin has no such vertex."""
        return self.vertices[self.by_source[source]]

    def faces_for(self, camera: Camera) -> np.ndarray:
        """Indices of the triangles a camera sees through its clip box (by their centres)."""
        return np.flatnonzero(camera.keeps(self.vertices[self.faces].mean(axis=1)))

    def midline(self) -> np.ndarray:
        """The skin's section by the plane x = 0, as (N, 2, 3) line segments."""
        import trimesh

        mesh = trimesh.Trimesh(self.vertices, self.faces, process=False)
        # Just off x = 0, where the midline vertices lie, so no section runs along an edge.
        return trimesh.intersections.mesh_plane(mesh, plane_normal=[1.0, 0, 0], plane_origin=[-1e-3, 0, 0])


def load_body(path: Path) -> Body:
    """Read a body file (``assets/body/body.npz``), raising :class:`BodyError` with what is wrong."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as stored:
            vertices = np.asarray(stored["vertices"], dtype=float)
            faces = np.asarray(stored["faces"], dtype=np.int64)
            source = np.asarray(stored["source_vertex"], dtype=np.int64)
            names = [str(n) for n in stored["joint_names"]] if "joint_names" in stored else []
            joints = dict(zip(names, np.asarray(stored["joints"], dtype=float))) if names else {}
    except (OSError, KeyError, ValueError) as error:
        raise BodyError(f"{path}: cannot be read as a body ({error}); rebuild it with tools/make_body.py") from None
    if vertices.ndim != 2 or vertices.shape[1] != 3 or faces.ndim != 2 or faces.shape[1] != 3 or \
            len(source) != len(vertices) or (len(faces) and (faces.min() < 0 or faces.max() >= len(vertices))) or \
            not np.isfinite(vertices).all():
        raise BodyError(f"{path}: the arrays do not describe a triangle mesh; rebuild it with tools/make_body.py")
    for array in (vertices, faces, source):
        array.flags.writeable = False
    return Body(path, vertices, faces, source, joints)


# --- lifting view positions onto the skin ------------------------------------------------------------

@dataclass(frozen=True)
class Lift:
    """Where a view position meets the skin, or why it does not."""

    xyz: tuple[float, float, float] | None
    problem: str = ""


def _cache_dir() -> Path:
    base = os.environ.get("BODYMAP_CACHE_DIR")
    if base:
        return Path(base) / "lifts"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bodymap" / "lifts"


def _key(body: Body, requests) -> str:
    digest = hashlib.sha256((_CACHE_FORMAT + body.digest).encode())
    cameras: dict[Camera, int] = {}
    for camera, _, _, _ in requests:
        if camera not in cameras:
            cameras[camera] = len(cameras)
            digest.update(repr(camera).encode())
    table = np.array([(cameras[c], round(x, 4), round(y, 4), m) for c, x, y, m in requests], dtype=float)
    digest.update(table.tobytes())
    return digest.hexdigest()


def lift_all(body: Body, requests: list[tuple[Camera, float, float, bool]]) -> list[Lift]:
    """Lift each (camera, x, y, on_midline) onto the skin; results are cached on disk by their inputs."""
    if not requests:
        return []
    key = _key(body, requests)
    path = _cache_dir() / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as stored:
            xyz, problems = stored["xyz"], [str(p) for p in stored["problems"]]
        if len(xyz) == len(requests):
            return [Lift(None if problem else tuple(float(v) for v in point), problem)
                    for point, problem in zip(xyz, problems)]
    except (OSError, KeyError, ValueError):
        pass
    lifts = _compute(body, requests)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        with os.fdopen(handle, "wb") as out:
            np.savez(out, xyz=np.array([lift.xyz or (math.nan,) * 3 for lift in lifts]),
                     problems=np.array([lift.problem for lift in lifts]))
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return lifts


def _compute(body: Body, requests) -> list[Lift]:
    import trimesh

    results: list[Lift | None] = [None] * len(requests)
    by_camera: dict[Camera, list[int]] = {}
    for index, (camera, _, _, midline) in enumerate(requests):
        if midline and abs(camera.direction[0]) > 0.5:
            continue
        by_camera.setdefault(camera, []).append(index)
    for camera, indices in by_camera.items():
        faces = body.faces_for(camera)
        mesh = trimesh.Trimesh(body.vertices, body.faces[faces], process=False)
        xy = np.array([requests[i][1:3] for i in indices])
        origins, directions = camera.ray(xy)
        locations, rays, triangles = mesh.ray.intersects_location(origins, directions, multiple_hits=False)
        hits = {int(r): (loc, int(t)) for loc, r, t in zip(locations, rays, triangles)}
        for k, index in enumerate(indices):
            if k not in hits:
                results[index] = Lift(None, "its view ray misses the body")
                continue
            location, triangle = hits[k]
            if body.normals[faces[triangle]] @ np.asarray(camera.direction) >= 0:
                results[index] = Lift(None, "its view ray first meets skin that faces away from the viewer")
                continue
            results[index] = Lift(tuple(float(v) for v in location))
    midline = [i for i, r in enumerate(results) if r is None]
    if midline:
        segments = np.asarray(body.midline(), dtype=float).reshape(-1, 2, 3)
        for index in midline:
            camera, x, y, _ = requests[index]
            start, end = camera.project(segments[:, 0]), camera.project(segments[:, 1])
            along = end - start
            length = np.maximum((along ** 2).sum(axis=1), 1e-12)
            t = np.clip(((np.array([x, y]) - start) * along).sum(axis=1) / length, 0, 1)
            nearest = start + t[:, None] * along
            distance = np.hypot(nearest[:, 0] - x, nearest[:, 1] - y) / camera.scale
            best = int(np.argmin(distance))
            if distance[best] > MIDLINE_SNAP:
                results[index] = Lift(None, f"it lies {distance[best]:.1f} cm from the body's midline outline")
            else:
                point = segments[best, 0] + t[best] * (segments[best, 1] - segments[best, 0])
                results[index] = Lift(tuple(float(v) for v in point))
    return results
