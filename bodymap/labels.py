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


def _overlaps(candidates: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Total overlap area of each candidate box (k, 4) with all ``boxes`` (m, 4)."""
    if len(boxes) == 0:
        return np.zeros(len(candidates))
    width = np.minimum(candidates[:, None, 2], boxes[None, :, 2]) - np.maximum(candidates[:, None, 0], boxes[None, :, 0])
    height = np.minimum(candidates[:, None, 3], boxes[None, :, 3]) - np.maximum(candidates[:, None, 1], boxes[None, :, 1])
    return (np.clip(width, 0, None) * np.clip(height, 0, None)).sum(axis=1)


def place_labels(xy: np.ndarray, texts: list[str], *, font_size: float, marker_radius: float) -> list[Label]:
    """One label per point, in input order."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    gap = marker_radius + font_size * 0.25
    markers = np.column_stack([xy - marker_radius, xy + marker_radius])
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
        best = int(free[0]) if len(free) else int(np.argmin(crowding))
        position, cx, cy, anchor = anchors[best]
        labels[index] = Label(texts[index], position, cx, cy + height * 0.35, anchor, tuple(boxes[best]))
        placed[count] = boxes[best]
    return labels
