"""Placements measured from landmarks: cun across and cun down in a view's drawing.

On front and back views a landmark is given on the patient's right (or the
midline) and ``across`` counts cun away from the midline on the patient's
side; the left is the mirror image. On other views ``across`` and ``down``
are plain offsets towards the viewer's right and downwards.
"""

from __future__ import annotations

from .model import Anchor, Landmark, View

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
