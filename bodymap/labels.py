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


def _overlap(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def place_labels(xy: np.ndarray, texts: list[str], *, font_size: float, marker_radius: float) -> list[Label]:
    """One label per point, in input order."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    gap = marker_radius + font_size * 0.25
    markers = [(x - marker_radius, y - marker_radius, x + marker_radius, y + marker_radius) for x, y in xy]
    placed: list[tuple[float, float, float, float]] = []
    labels: list[Label | None] = [None] * len(texts)
    for index in sorted(range(len(texts)), key=lambda i: (xy[i, 1], xy[i, 0])):
        x, y = xy[index]
        width, height = CHAR_WIDTH * font_size * len(texts[index]), font_size
        best = None
        for position, dx, dy, anchor in _POSITIONS:
            cx = x + dx * gap
            cy = y + dy * (gap + height / 2) if dy else y
            left = {"start": cx, "end": cx - width, "middle": cx - width / 2}[anchor]
            box = (left, cy - height / 2, left + width, cy + height / 2)
            crowding = sum(_overlap(box, other) for other in placed)
            crowding += sum(_overlap(box, m) for j, m in enumerate(markers) if j != index)
            if best is None or crowding < best[0]:
                best = (crowding, Label(texts[index], position, cx, cy + height * 0.35, anchor, box))
            if crowding == 0:
                break
        labels[index] = best[1]
        placed.append(best[1].box)
    return labels
