"""Placements measured from landmarks, so a new silhouette is calibrated once.

On front and back views a landmark is given on the patient's right (or the
midline) and ``across`` counts cun away from the midline on the patient's
side; the left is the mirror image. On other views ``across`` and ``down``
are plain offsets towards the viewer's right and downwards.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .model import Anchor, Landmark, View
from .problems import DataError, Problem
from .tables import TABLES, read_table

# Rounding to 0.1 in the tables leaves at most 0.05 per axis; the rest is slack.
ANCHOR_TOLERANCE = 0.6


def anchored_position(view: View, landmark: Landmark, anchor: Anchor, side: str) -> tuple[float, float]:
    """Where ``anchor`` puts a placement on ``side`` of ``view``."""
    y = landmark.y + anchor.down * landmark.cun
    if view.orientation not in ("front", "back"):
        return landmark.x + anchor.across * landmark.cun, y
    if side == "midline":
        return landmark.x, y
    towards_patients_right = -1.0 if view.orientation == "front" else 1.0
    x_right = landmark.x + towards_patients_right * anchor.across * landmark.cun
    if side == "right":
        return x_right, y
    return 2 * view.silhouette.axis_x - x_right, y


def recalibrated_placements(data_dir: Path) -> str:
    """placements.csv with every anchored position derived afresh.

    Used after a silhouette or a landmark moves: the positions in the file no
    longer match, so this reads only what the derivation needs instead of
    loading (and rejecting) the whole atlas. Unanchored rows pass unchanged.
    """
    from .loader import reader  # the loader imports this module

    problems: list[Problem] = []
    # The loader's own readers, so landmarks and anchors are parsed and reported
    # the same way; only the position checks are left out.
    parse = reader(data_dir, problems)
    views = parse.views(read_table(data_dir, TABLES["views.csv"], problems))
    landmarks = parse.landmarks(read_table(data_dir, TABLES["landmarks.csv"], problems), views)
    spec = TABLES["placements.csv"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=spec.columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in read_table(data_dir, spec, problems):
        values = dict(row)
        if values["landmark"] and values["view"] in views:
            anchor = parse.anchor(row, landmarks)
            if not anchor:
                continue
            landmark = landmarks[values["view"]][anchor.landmark]
            x, y = anchored_position(views[values["view"]], landmark, anchor, values["side"])
            values["x"], values["y"] = f"{x:.1f}", f"{y:.1f}"
        elif values["landmark"]:
            problems.append(row.problem("view", f"{values['view']!r} is not a known view; add it to views.csv"))
            continue
        writer.writerow(values)
    if problems:
        raise DataError(problems)
    return out.getvalue()
