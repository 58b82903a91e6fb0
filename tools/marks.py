"""Faint orientation marks for the drawn views, from the body's landmarks (used by draw_views.py).

Each mark is a line or loop on the skin in 3D, built from the landmarks in
data/body_landmarks.csv (and rays cast onto the skin between them), so every
view shows it where its camera sees it: the navel, nipples, clavicles,
sternum and rib margin, iliac crests, the spine with level ticks for C7, T3,
T7 and L4, the scapulae, the sacrum, the kneecaps, malleoli and knuckles.
Only the stretches a camera really sees are drawn.
"""

from __future__ import annotations

from html import escape

import numpy as np

from bodymap.body import lift_all
from bodymap.loader import reader
from bodymap.problems import DataError
from bodymap.tables import TABLES, read_table

MIRROR = np.array([-1.0, 1.0, 1.0])
SEEN_CM = 0.6


def _landmarks(data, body):
    problems = []
    marks = reader(data, problems).body_landmarks(read_table(data, TABLES["body_landmarks.csv"], problems), body)
    if problems:
        raise DataError(problems)
    return {name: np.asarray(mark.xyz) for name, mark in marks.items()}


def _onto_skin(mesh, points, direction, back_off=60.0):
    """Each point moved onto the skin along ``direction``, cast from ``back_off`` cm before it."""
    direction = np.asarray(direction, float) / np.linalg.norm(direction)
    origins = np.asarray(points, float) - back_off * direction
    hits, rays, _ = mesh.ray.intersects_location(origins, np.tile(direction, (len(origins), 1)), multiple_hits=False)
    result = np.asarray(points, float).copy()
    result[rays] = hits
    return result


def _circle(centre, radius, normal, count=24):
    normal = np.asarray(normal, float) / np.linalg.norm(normal)
    a = np.cross(normal, [0, 1.0, 0]) if abs(normal[1]) < 0.9 else np.cross(normal, [1.0, 0, 0])
    a /= np.linalg.norm(a)
    b = np.cross(normal, a)
    t = np.linspace(0, 2 * np.pi, count + 1)
    return centre + radius * (np.outer(np.cos(t), a) + np.outer(np.sin(t), b)) + 0.3 * normal


def _curve(mesh, a, b, direction, bulge=(0.0, 0.0, 0.0), count=12):
    t = np.linspace(0, 1, count)[:, None]
    points = a + t * (b - a) + np.sin(np.pi * t) * np.asarray(bulge)
    return _onto_skin(mesh, points, direction)


def body_marks(data, body) -> tuple[list[np.ndarray], list[tuple[np.ndarray, str]]]:
    """The marks as 3D polylines (both sides), and the labels as (3D point, text)."""
    import trimesh

    mesh = trimesh.Trimesh(body.vertices, body.faces, process=False)
    L = _landmarks(data, body)
    front, back, side = np.array([0, 0, -1.0]), np.array([0, 0, 1.0]), np.array([1.0, 0, 0])
    lines: list[np.ndarray] = []

    def both(line):
        lines.append(line)
        lines.append(line * MIRROR)

    both(_circle(L["nipple"], 0.45, [0, 0, 1.0], 14))
    lines.append(_circle(L["navel"], 0.6, [0, 0, 1.0], 14))
    notch, xiphoid = L["suprasternal-notch"], L["xiphisternal-junction"]
    sternal_end = _onto_skin(mesh, [notch + (-2.0, 0.2, 0)], front)[0]
    both(_curve(mesh, sternal_end, L["clavicle-midpoint"], front, (0, 0.4, 0), 8))
    both(_curve(mesh, L["clavicle-midpoint"], L["acromion"] + (0, -0.5, 0), front, (0, 0.3, 0), 8))
    lines.append(_curve(mesh, notch + (0, -1.2, 0), xiphoid, front, count=10))
    margin = [xiphoid, xiphoid + (-4.0, -4.5, 0), L["rib11-tip"] + (2.5, 3.0, 0), L["rib11-tip"]]
    both(_onto_skin(mesh, _smooth(np.array(margin), 14), front))
    # Iliac crest: from the ASIS up over the hip to its top, then down to the PSIS.
    crest_front = _onto_skin(mesh, _smooth(np.array([L["asis"], L["asis"] + (-2.0, 3.0, -4.0)]), 6), front)
    # Cast from beside the flank, inside the hanging arm.
    crest_side = _onto_skin(mesh, _smooth(np.array([L["asis"] + (-2.5, 3.5, -5.0), L["iliac-crest-top"] + (-1.5, 0.3, 3.0)]), 6),
                            side, back_off=4.0)
    crest_back = _onto_skin(mesh, _smooth(np.array([L["iliac-crest-top"], L["psis"]]), 8), back)
    both(np.vstack([crest_front, crest_side, crest_back]))
    # Spine and the scapula.
    levels = ["C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3",
              "L4", "L5", "S1", "S2", "S3", "S4"]
    lines.append(np.array([L[name] for name in levels]))
    labels = []
    for name in ("C7", "T3", "T7", "L4"):
        tick = _onto_skin(mesh, np.array([L[name] + (-1.6, 0, 0), L[name] + (1.6, 0, 0)]), back)
        lines.append(tick)
        labels.append((L[name] + (2.4, 0.0, 0), name))
    scapula = [L["superior-angle-scapula"], L["scapular-spine-root"], L["inferior-angle-scapula"],
               L["inferior-angle-scapula"] + (-3.5, 5.5, 0), L["posterior-axillary-fold"] + (1.5, 1.0, 0)]
    both(_onto_skin(mesh, _smooth(np.array(scapula), 16), back))
    both(_onto_skin(mesh, _smooth(np.array([L["scapular-spine-root"], L["scapular-spine-midpoint"], L["acromial-angle"]]), 10), back))
    sacrum = [L["S1"] + (-2.4, 0.5, 0), L["S4"] + (-1.2, 0, 0), L["coccyx-tip"]]
    both(_onto_skin(mesh, _smooth(np.array(sacrum), 10), back))
    # Knee, ankle and hand.
    patella = (L["patella-base"] + _onto_skin(mesh, [(L["patella-apex-lateral"] + L["patella-apex-medial"]) / 2], front)[0]) / 2
    both(_onto_skin(mesh, _ellipse(patella, 2.2, 2.8, [0, 0, 1.0]), front))
    both(_circle(L["lateral-malleolus"], 0.9, [-1.0, 0, 0.0], 16))
    both(_circle(L["medial-malleolus"], 0.9, [1.0, 0, 0.0], 16))
    for k in range(2, 6):
        both(_circle(L[f"knuckle-{k}"], 0.45, [0, 0, -1.0], 10)[4:12])
    crease = [L["palmar-wrist-crease"] + (1.6, 0.4, 0), L["palmar-wrist-crease"], L["palmar-wrist-crease"] + (-1.8, -0.5, 0)]
    both(_onto_skin(mesh, _smooth(np.array(crease), 8), front))
    return lines, labels


def _smooth(points: np.ndarray, count: int) -> np.ndarray:
    """A smooth curve through the points (Catmull-Rom), ``count`` samples."""
    if len(points) == 2:
        return points[0] + np.linspace(0, 1, count)[:, None] * (points[1] - points[0])
    padded = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    out = []
    per = max(count // (len(points) - 1), 2)
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1:i + 3]
        for t in np.linspace(0, 1, per, endpoint=False):
            out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(points[-1])
    return np.array(out)


def _ellipse(centre, rx, ry, normal, count=24):
    t = np.linspace(0, 2 * np.pi, count + 1)[:, None]
    return centre + rx * np.cos(t) * np.array([1.0, 0, 0]) + ry * np.sin(t) * np.array([0, 1.0, 0])


_CACHE: dict = {}


def view_marks(data, body, view_id, cameras) -> list[str]:
    """SVG elements drawing the marks a view's cameras see."""
    if "marks" not in _CACHE:
        _CACHE["marks"] = body_marks(data, body)
    lines, labels = _CACHE["marks"]
    paths, texts = [], []
    for camera in cameras:
        for line in lines:
            seen = _seen(body, camera, line)
            run: list = []
            for point, visible in zip(camera.project(line), seen):
                if visible:
                    run.append(point)
                    continue
                if len(run) > 1:
                    paths.append(run)
                run = []
            if len(run) > 1:
                paths.append(run)
        for point, text in labels:
            if _seen(body, camera, np.array([point - (2.4, 0, 0)]))[0]:
                (x, y), = camera.project(point)
                size = max(1.6 * camera.scale, 6.0)
                texts.append(f'<text class="mark" x="{x:.1f}" y="{y + size * 0.35:.1f}">{escape(text)}</text>')
    elements = []
    if paths:
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in run) for run in paths)
        elements.append(f'<path class="mark" d="{d}"/>')
    return elements + texts


def _seen(body, camera, points) -> np.ndarray:
    xy = camera.project(points)
    lifts = lift_all(body, [(camera, float(x), float(y), False) for x, y in xy])
    return np.array([lift.xyz is not None and np.linalg.norm(np.subtract(lift.xyz, p)) < SEEN_CM + 0.02 * camera.scale
                     for lift, p in zip(lifts, points)])
