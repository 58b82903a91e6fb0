"""Placing point labels beside their markers without overlapping each other.

A greedy search: points are labelled top to bottom, each label takes the
first of eight positions around its marker whose box is free of the labels
and markers already placed; when none is free it takes the least crowded.
Sizes are in the same units as the coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (plotly textposition, dx, dy, text-anchor) with dx, dy in marker radii / font heights.
_POSITIONS = (
    ("middle right", 1, 0, "start"),
    ("middle left", -1, 0, "end"),
    ("top right", 0.7, -1, "start"),
    ("bottom right", 0.7, 1, "start"),
    ("top left", -0.7, -1, "end"),
    ("bottom left", -0.7, 1, "end"),
    ("top center", 0, -1.3, "middle"),
    ("bottom center", 0, 1.3, "middle"),
)
CHAR_WIDTH = 0.6  # of the font size, for the fonts these labels use


@dataclass(frozen=True)
class Label:
    text: str
    position: str  # plotly textposition
    x: float  # text anchor point
    y: float  # text baseline
    anchor: str  # SVG text-anchor
    box: tuple[float, float, float, float]
    # Where a leader line from the marker reaches the label, when the label had to move out.
    leader: tuple[float, float] | None = None


def _overlaps(candidates: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Total overlap area of each candidate box (k, 4) with all ``boxes`` (m, 4)."""
    if len(boxes) == 0:
        return np.zeros(len(candidates))
    width = np.minimum(candidates[:, None, 2], boxes[None, :, 2]) - np.maximum(candidates[:, None, 0], boxes[None, :, 0])
    height = np.minimum(candidates[:, None, 3], boxes[None, :, 3]) - np.maximum(candidates[:, None, 1], boxes[None, :, 1])
    return (np.clip(width, 0, None) * np.clip(height, 0, None)).sum(axis=1)


# Rings further out, tried in turn when every spot beside a marker is taken: (distance in label
# heights, number of directions). A label placed there gets a leader line.
_RINGS = ((2.2, 12), (3.4, 16), (4.8, 20), (6.4, 24))


def place_labels(xy: np.ndarray, texts: list[str], *, font_size: float, marker_radius: float,
                 leaders: bool = False, others=()) -> list[Label]:
    """One label per point, in input order.

    With ``leaders``, a label that finds no free spot beside its marker moves out to the nearest free
    spot on rings further away and carries a ``leader`` (the end of a line from the marker), so no two
    labels overlap where there is room; without, it takes the least crowded spot beside the marker.
    ``others`` are the centres of unlabelled markers that labels should not cover either.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    gap = marker_radius + font_size * 0.25
    everything = np.vstack([xy, np.asarray(others, dtype=float).reshape(-1, 2)])
    markers = np.column_stack([everything - marker_radius, everything + marker_radius])
    placed = np.empty((len(texts), 4))
    labels: list[Label | None] = [None] * len(texts)
    for count, index in enumerate(sorted(range(len(texts)), key=lambda i: (xy[i, 1], xy[i, 0]))):
        x, y = xy[index]
        width, height = CHAR_WIDTH * font_size * len(texts[index]), font_size
        candidates, anchors = [], []
        for position, dx, dy, anchor in _POSITIONS:
            cx = x + dx * gap
            cy = y + dy * (gap + height / 2) if dy else y
            left = {"start": cx, "end": cx - width, "middle": cx - width / 2}[anchor]
            candidates.append((left, cy - height / 2, left + width, cy + height / 2))
            anchors.append((position, cx, cy, anchor))
        boxes = np.array(candidates)
        others = np.delete(markers, index, axis=0)
        crowding = _overlaps(boxes, placed[:count]) + _overlaps(boxes, others)
        # The first free position in preference order, else the least crowded one.
        free = np.flatnonzero(crowding == 0)
        if not len(free) and leaders:
            moved = _out_on_a_ring(x, y, width, height, placed[:count], markers)
            if moved is not None:
                box, end = moved
                labels[index] = Label(texts[index], "middle center", (box[0] + box[2]) / 2,
                                      (box[1] + box[3]) / 2 + height * 0.35, "middle", box, end)
                placed[count] = box
                continue
        best = int(free[0]) if len(free) else int(np.argmin(crowding))
        position, cx, cy, anchor = anchors[best]
        labels[index] = Label(texts[index], position, cx, cy + height * 0.35, anchor, tuple(boxes[best]))
        placed[count] = boxes[best]
    return labels


def _out_on_a_ring(x, y, width, height, placed, markers):
    """The nearest free label box on rings around (x, y), and where its leader line ends."""
    for distance, count in _RINGS:
        angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
        centres = np.column_stack([x + np.cos(angles) * distance * height * 1.6, y + np.sin(angles) * distance * height])
        boxes = np.column_stack([centres[:, 0] - width / 2, centres[:, 1] - height / 2,
                                 centres[:, 0] + width / 2, centres[:, 1] + height / 2])
        crowding = _overlaps(boxes, placed) + _overlaps(boxes, markers)
        free = np.flatnonzero(crowding == 0)
        if len(free):
            k = int(free[0])
            cx, cy = centres[k]
            # The line stops at the label box's edge, on the way to its centre.
            scale = min(abs((width / 2) / (cx - x)) if cx != x else np.inf,
                        abs((height / 2) / (cy - y)) if cy != y else np.inf, 1.0)
            return tuple(boxes[k]), (cx - (cx - x) * scale, cy - (cy - y) * scale)
    return None
