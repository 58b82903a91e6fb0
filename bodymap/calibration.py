"""Deriving positions afresh after the body, a camera, a drawing or a landmark moves.

``bodymap calibrate`` prints a table with every derived position worked out
again, for the user to save over the old one:

- ``landmarks``: on a view drawn from the body, each landmark is where the
  view's camera sees the body's landmark of the same name, and its cun is the
  body's cun for it at the camera's scale.
- ``placements``: an anchored placement is its landmark plus the anchor's cun
  across and down; on a body view, a placement without an anchor is where
  that view sees the spot on the body that the point's anchored placement
  lifts to (its mirror image for the other side).

It reads only the tables the derivation needs, through the loader's own
readers, instead of loading (and rejecting) the whole atlas, whose positions
no longer match until the printed tables are saved.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import numpy as np

from .anchors import anchored_position
from .body import lift_all
from .loader import reader
from .model import Landmark
from .problems import DataError, Problem
from .tables import TABLES, Row, read_table

TABLE_CHOICES = ("placements", "landmarks")
_MIRROR = np.array([-1.0, 1.0, 1.0])
# A projected spot counts as seen when the view's ray through it meets the body this close (cm).
_SEEN_CM = 1.4


def recalibrated(data_dir: Path, table: str = "placements") -> str:
    """``table`` (``placements`` or ``landmarks``) as CSV text with every derived position worked out again."""
    if table not in TABLE_CHOICES:
        raise ValueError(f"table must be one of: {', '.join(TABLE_CHOICES)}")
    problems: list[Problem] = []
    parse = reader(data_dir, problems)
    views = parse.views(read_table(data_dir, TABLES["views.csv"], problems))
    body, cameras = parse.body(read_table(data_dir, TABLES["cameras.csv"], problems), views)
    views = {vid: replace(view, cameras=tuple(cameras.get(vid, ()))) for vid, view in views.items()}
    body_landmarks = parse.body_landmarks(read_table(data_dir, TABLES["body_landmarks.csv"], problems), body)
    landmark_rows = read_table(data_dir, TABLES["landmarks.csv"], problems)
    landmarks = parse.landmarks(landmark_rows, views)
    for row in landmark_rows:
        view = views.get(row["view"])
        mark = landmarks.get(row["view"], {}).get(row["landmark"])
        if view is None or not view.cameras or mark is None:
            continue
        if mark.id not in body_landmarks:
            problems.append(row.problem("landmark", f"{mark.id!r} is not a body landmark; define it in "
                                                    "body_landmarks.csv"))
            continue
        camera = view.camera_at(mark.x, mark.y)
        (x, y), = camera.project(body_landmarks[mark.id].xyz)
        landmarks[row["view"]][mark.id] = Landmark(mark.view, mark.id, round(float(x), 1), round(float(y), 1),
                                                   round(body_landmarks[mark.id].cun * camera.scale, 2),
                                                   mark.description)
    if table == "landmarks":
        if problems:
            raise DataError(problems)
        def derived(row):
            mark = landmarks.get(row["view"], {}).get(row["landmark"])
            return {**row, "x": f"{mark.x:.1f}", "y": f"{mark.y:.1f}", "cun": f"{mark.cun:.2f}"} if mark else dict(row)

        return _csv("landmarks.csv", [derived(row) for row in landmark_rows])

    rows = read_table(data_dir, TABLES["placements.csv"], problems)
    out: list[tuple[dict, Row]] = []
    anchored_spots: dict[tuple, tuple] = {}
    for row in rows:
        values = dict(row)
        if values["landmark"]:
            if values["view"] not in views:
                problems.append(row.problem("view", f"{values['view']!r} is not a known view; add it to views.csv"))
                continue
            anchor = parse.anchor(row, landmarks)
            if not anchor:
                continue
            x, y = anchored_position(views[values["view"]], landmarks[values["view"]][anchor.landmark], anchor,
                                     values["side"])
            values["x"], values["y"] = f"{x:.1f}", f"{y:.1f}"
            view = views[values["view"]]
            if view.cameras:
                anchored_spots.setdefault((values["point"], values["part"]), (view, x, y, values["side"], row))
        out.append((values, row))
    if body is not None:
        _project_unanchored(body, views, out, anchored_spots, problems)
    if problems:
        raise DataError(problems)
    return _csv("placements.csv", [values for values, _ in out])


def _project_unanchored(body, views, out: list[tuple[dict, Row]], homes: dict, problems: list[Problem]) -> None:
    """Each unanchored placement on a body view: where that view sees its point's spot."""
    keys = list(homes)
    lifts = lift_all(body, [(view.camera_at(x, y), x, y, side == "midline") for view, x, y, side, _ in homes.values()])
    spots = {}
    for key, lift in zip(keys, lifts):
        view, x, y, side, row = homes[key]
        if lift.xyz is None:
            problems.append(row.problem("x", f"({x:.1f}, {y:.1f}) on {view.id}: {lift.problem}; "
                                             "move its anchor onto the body"))
            continue
        spots[key] = (np.asarray(lift.xyz), side)
    for values, row in out:
        view = views.get(values["view"])
        if values["landmark"] or view is None or not view.cameras:
            continue
        key = (values["point"], values["part"])
        if key not in spots:
            problems.append(row.problem("landmark", f"{values['point']} has no anchored placement on a body view to "
                                                    "project from; anchor this one"))
            continue
        spot, home_side = spots[key]
        target = spot * _MIRROR if {home_side, values["side"]} == {"left", "right"} else spot
        # Of a view's panels, the one whose ray through the spot meets the body nearest to it
        # (on the back of the hand or on the palm, never both).
        seen, error = None, _SEEN_CM
        for camera in view.cameras:
            (x, y), = camera.project(target)
            x, y = round(float(x), 1), round(float(y), 1)
            back, = lift_all(body, [(camera, x, y, values["side"] == "midline")])
            if back.xyz is not None and np.linalg.norm(np.subtract(back.xyz, target)) < error:
                seen, error = (x, y), np.linalg.norm(np.subtract(back.xyz, target))
        if seen is None:
            problems.append(row.problem("view", f"{values['point']} ({values['side']}) is hidden on the {view.id} "
                                                "view; remove this placement"))
            continue
        values["x"], values["y"] = f"{seen[0]:.1f}", f"{seen[1]:.1f}"


def _csv(name: str, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TABLES[name].columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
