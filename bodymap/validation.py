"""Checks of placements against the body: on the outline, on the right side,
mirrored where the view is symmetric.

Left and right are the patient's: on a front view the patient's left is on
the viewer's right, on a back view it is on the viewer's left.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .anchors import ANCHOR_TOLERANCE, anchored_position
from .model import Landmark, OrderRule, Placement, View
from .problems import Problem
from .tables import Row, is_whole

# SVG user units; the built-in full-body views are 800 units tall.
MIRROR_TOLERANCE = 1.0
# A point this close to the drawn outline is on it (the outline is drawn to 0.1).
EDGE_TOLERANCE = 1.0


def _viewer_side(view: View, side: str) -> int:
    """+1 if the patient's ``side`` appears on the viewer's right, else -1."""
    if view.orientation == "front":
        return 1 if side == "left" else -1
    return -1 if side == "left" else 1


def check_placements(placed: list[tuple[Row, Placement]], points: dict[str, Row], views: dict[str, View],
                     landmarks: dict[str, dict[str, Landmark]], problems: list[Problem]) -> None:
    by_view = defaultdict(list)
    for row, placement in placed:
        by_view[placement.view].append((row, placement))
        if placement.anchor is not None:
            landmark = landmarks[placement.view][placement.anchor.landmark]
            x, y = anchored_position(views[placement.view], landmark, placement.anchor, placement.side)
            off_x, off_y = abs(x - placement.x) > ANCHOR_TOLERANCE, abs(y - placement.y) > ANCHOR_TOLERANCE
            if off_x or off_y:
                problems.append(row.problem(
                    "x" if off_x else "y", f"({placement.x:g}, {placement.y:g}) does not match its anchor ({landmark.id} "
                         f"{placement.anchor.across:g} across, {placement.anchor.down:g} down), which puts it at "
                         f"({x:.1f}, {y:.1f}); `bodymap calibrate` prints the derived positions"))
        laterality = points[placement.point]["laterality"]
        if laterality == "midline" and placement.side != "midline":
            problems.append(row.problem("side", f"{placement.point} is a midline point; its side must be midline"))
        if laterality == "bilateral" and placement.side == "midline":
            problems.append(row.problem("side", f"{placement.point} is bilateral; place it on the patient's left or right"))
        if laterality in ("left", "right") and placement.side != laterality:
            problems.append(row.problem("side", f"{placement.point} lies on the patient's {laterality} only; "
                                                f"its side must be {laterality}"))
    placed_points = {placement.point for _, placement in placed}
    table_unreadable = placed_points == set() and any(
        p.file.endswith("placements.csv") and p.row in (None, 1) for p in problems)
    for code, row in points.items():
        if code not in placed_points and not table_unreadable:
            problems.append(row.problem("code", f"{code} has no placement; add at least one to placements.csv"))

    for view_id, entries in by_view.items():
        view = views[view_id]
        silhouette = view.silhouette
        xy = np.array([[p.x, p.y] for _, p in entries])
        # A point on a profile (the nose on a side view) sits on the drawn edge itself.
        for (row, placement), inside in zip(entries, silhouette.contains(xy, edge=EDGE_TOLERANCE)):
            if not inside:
                problems.append(row.problem("x", f"({placement.x:g}, {placement.y:g}) lies outside the {view_id} outline; move it onto the body"))
        if view.orientation in ("front", "back"):
            _check_symmetric_view(view, entries, points, problems)
        else:
            for row, placement in entries:
                if placement.side not in ("midline", view.side):
                    problems.append(row.problem("side", f"the {view_id} view shows the patient's {view.side} side, not the {placement.side}"))


def _check_symmetric_view(view: View, entries, points, problems) -> None:
    axis = view.silhouette.axis_x
    pairs = defaultdict(dict)
    for row, placement in entries:
        offset = placement.x - axis
        if placement.side == "midline":
            if abs(offset) > MIRROR_TOLERANCE:
                problems.append(row.problem("x", f"{placement.x:g} is off the midline of the {view.id} view; use x={axis:g}"))
            continue
        expected = _viewer_side(view, placement.side)
        if offset * expected <= 0:
            viewer = "right" if expected > 0 else "left"
            problems.append(row.problem(
                "side", f"the patient's {placement.side} is on the viewer's {viewer} in the {view.id} view, "
                        f"but x={placement.x:g} is on the other half (midline x={axis:g})"))
        pairs[(placement.point, placement.part)][placement.side] = (row, placement)

    for (code, part), sides in pairs.items():
        if points[code]["laterality"] in ("midline", "left", "right"):
            continue  # nothing to mirror: one-sided points have no partner
        if part:
            code = f"{code} part {part}"
        if len(sides) == 1:
            (side, (row, placement)), = sides.items()
            other = "right" if side == "left" else "left"
            problems.append(row.problem(
                "side", f"{code} is bilateral but has only a {side} placement on {view.id}; "
                        f"add the {other} one at x={2 * axis - placement.x:g}, y={placement.y:g}"))
            continue
        (_, left), (row, right) = sides["left"], sides["right"]
        if abs(left.y - right.y) > MIRROR_TOLERANCE or abs(left.x + right.x - 2 * axis) > MIRROR_TOLERANCE:
            problems.append(row.problem(
                "x", f"{code}'s left and right placements on {view.id} are not mirror images about x={axis:g}; "
                     f"for left ({left.x:g}, {left.y:g}) the right one belongs at ({2 * axis - left.x:g}, {left.y:g})"))


def _moves(direction: str, before: Placement, after: Placement, axis: float) -> bool:
    if direction == "down":
        return after.y > before.y
    if direction == "up":
        return after.y < before.y
    if direction == "viewer-right":
        return after.x > before.x
    if direction == "viewer-left":
        return after.x < before.x
    if direction == "outward":
        return abs(after.x - axis) > abs(before.x - axis)
    return abs(after.x - axis) < abs(before.x - axis)


def check_order(rules: list[tuple[Row, OrderRule]], placed: list[tuple[Row, Placement]], points: dict[str, Row],
                views: dict[str, View], problems: list[Problem]) -> None:
    """Channel order: each rule's run of points moves the stated way, per side."""
    numbered = defaultdict(list)  # (view, meridian) -> [(number, placement)]
    for _, placement in placed:
        point = points[placement.point]
        if is_whole(point["number"]):
            numbered[(placement.view, point["meridian"])].append((int(point["number"]), placement))
    for row, rule in rules:
        low, high = int(points[rule.first]["number"]), int(points[rule.last]["number"])
        runs = defaultdict(list)
        for number, placement in numbered[(rule.view, rule.meridian)]:
            if low <= number <= high:
                runs[placement.side].append((number, placement))
        axis = views[rule.view].silhouette.axis_x
        for side, run in runs.items():
            run.sort(key=lambda item: item[0])
            for (_, before), (_, after) in zip(run, run[1:]):
                if not _moves(rule.direction, before, after, axis):
                    problems.append(row.problem(
                        "direction", f"on the {side} side of {rule.view}, {after.point} ({after.x:g}, {after.y:g}) "
                                     f"does not lie {rule.direction.replace('-', ' ')} of {before.point} "
                                     f"({before.x:g}, {before.y:g})"))


def check_pathways(lines: dict[tuple, list], views: dict[str, View], problems: list[Problem]) -> None:
    for (meridian, view_id, side, line), vertices in lines.items():
        seqs = [seq for seq, _, _ in vertices]
        for seq, row, _ in vertices:
            if seqs.count(seq) > 1:
                problems.append(row.problem("seq", f"{seq} appears more than once in {meridian} line {line} on {view_id}"))
        if len(vertices) < 2:
            problems.append(vertices[0][1].problem("line", f"{meridian} line {line} on {view_id} needs at least two vertices"))
        waypoints = [(row, xy) for _, row, xy in vertices if not row["point"]]
        if waypoints:
            inside = views[view_id].silhouette.contains(np.array([xy for _, xy in waypoints]), edge=EDGE_TOLERANCE)
            for (row, xy), ok in zip(waypoints, inside):
                if not ok:
                    problems.append(row.problem("x", f"({xy[0]:g}, {xy[1]:g}) lies outside the {view_id} outline"))


# --- the body: every placement one spot on the skin --------------------------------------------------

# Placements of one point on different views must meet the skin within this distance
# of each other (cm): about half a cun on the trunk, a marker's width on a whole-body view.
BODY_TOLERANCE_CM = 1.5
MIDLINE_TOLERANCE_CM = 0.5
CUN_TOLERANCE = 0.01  # relative: the tables round a cun to 0.01


def check_body(body, body_landmarks, landmark_rows: list[Row], landmarks, placed: list[tuple[Row, Placement]],
               points: dict[str, Row], views: dict[str, View], problems: list[Problem]) -> list[tuple[Row, Placement]]:
    """Check camera views against the body and give each of their placements its ``xyz``.

    A camera view's landmarks must be the projections of the body's landmarks;
    each placement's view ray must meet skin that faces the viewer; the
    placements of one point must meet at one spot; midline points lie on the
    body's midline, and left and right ones mirror each other.
    """
    from dataclasses import replace

    from .body import lift_all

    for row in landmark_rows:
        view = views.get(row["view"])
        mark = landmarks.get(row["view"], {}).get(row["landmark"])
        if view is None or not view.cameras or mark is None:
            continue
        on_body = body_landmarks.get(mark.id)
        if on_body is None:
            problems.append(row.problem("landmark", f"{mark.id!r} is not a body landmark; define it in "
                                                    "body_landmarks.csv, or remove it"))
            continue
        camera = view.camera_at(mark.x, mark.y)
        (x, y), = camera.project(on_body.xyz)
        cun = on_body.cun * camera.scale
        if abs(x - mark.x) > ANCHOR_TOLERANCE or abs(y - mark.y) > ANCHOR_TOLERANCE:
            problems.append(row.problem("x", f"({mark.x:g}, {mark.y:g}) is not where the body's {mark.id} is seen on "
                                             f"{view.id} ({x:.1f}, {y:.1f}); `bodymap calibrate --table landmarks` "
                                             "prints the derived positions"))
        elif abs(cun - mark.cun) > CUN_TOLERANCE * cun:
            problems.append(row.problem("cun", f"{mark.cun:g} is not the body's cun for {mark.id} at the {view.id} "
                                               f"view's scale ({cun:.2f}); `bodymap calibrate --table landmarks` "
                                               "prints it"))

    requests, owners = [], []
    for index, (row, placement) in enumerate(placed):
        camera = views[placement.view].camera_at(placement.x, placement.y)
        if camera is not None:
            requests.append((camera, placement.x, placement.y, placement.side == "midline"))
            owners.append(index)
    result = list(placed)
    spots = defaultdict(list)
    for index, lift in zip(owners, lift_all(body, requests)):
        row, placement = placed[index]
        if lift.xyz is None:
            problems.append(row.problem("x", f"({placement.x:g}, {placement.y:g}) on {placement.view}: {lift.problem}; "
                                             "move it onto the body"))
            continue
        result[index] = (row, replace(placement, xyz=tuple(round(v, 2) for v in lift.xyz)))
        spots[(placement.point, placement.part)].append((row, result[index][1]))

    for (code, part), entries in spots.items():
        name = code + (f" part {part}" if part else "")
        for side in ("left", "right", "midline"):
            same = [(row, p) for row, p in entries if p.side == side]
            for k, (row, placement) in enumerate(same[1:], start=1):
                first = same[0][1]
                distance = _distance(placement.xyz, first.xyz)
                if distance > BODY_TOLERANCE_CM:
                    problems.append(row.problem(
                        "x", f"{name} ({side}) on {placement.view} meets the body {distance:.1f} cm from where its "
                             f"placement on {first.view} does; a point's placements must meet at one spot "
                             f"(within {BODY_TOLERANCE_CM:g} cm)"))
            if side == "midline":
                for row, placement in same:
                    if abs(placement.xyz[0]) > MIDLINE_TOLERANCE_CM:
                        problems.append(row.problem(
                            "x", f"{name} is a midline point but meets the body {abs(placement.xyz[0]):.1f} cm off "
                                 f"the midline on {placement.view}"))
        lefts = [(row, p) for row, p in entries if p.side == "left"]
        rights = [p for _, p in entries if p.side == "right"]
        if lefts and rights:
            row, left = lefts[0]
            mirrored = (-rights[0].xyz[0], rights[0].xyz[1], rights[0].xyz[2])
            distance = _distance(left.xyz, mirrored)
            if distance > BODY_TOLERANCE_CM:
                problems.append(row.problem(
                    "x", f"{name}'s left spot on the body is not the mirror image of its right one "
                         f"({distance:.1f} cm apart after mirroring)"))
    return result


def _distance(a, b) -> float:
    return float(np.linalg.norm(np.subtract(a, b)))
