"""Marker symbols as SVG, matching the plotly symbols the meridians use, so a
printed legend reads the same as the app (and in greyscale, by shape)."""

from __future__ import annotations

import math


def _polygon(points) -> str:
    return "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in points) + " Z"


def _regular(cx, cy, r, sides, rotation=-math.pi / 2):
    return [(cx + r * math.cos(rotation + 2 * math.pi * k / sides), cy + r * math.sin(rotation + 2 * math.pi * k / sides))
            for k in range(sides)]


def _star(cx, cy, r, points, inner, rotation=-math.pi / 2):
    corners = []
    for k in range(points * 2):
        radius = r if k % 2 == 0 else r * inner
        angle = rotation + math.pi * k / points
        corners.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return corners


def _cross(cx, cy, r, arm=0.35, angle=0.0):
    a = r * arm
    base = [(-a, -r), (a, -r), (a, -a), (r, -a), (r, a), (a, a), (a, r), (-a, r), (-a, a), (-r, a), (-r, -a), (-a, -a)]
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in base]


def symbol_path(symbol: str, cx: float, cy: float, r: float) -> str:
    """SVG path data for ``symbol`` centred on (cx, cy) with radius ``r``."""
    if symbol == "square":
        return _polygon([(cx - r * .85, cy - r * .85), (cx + r * .85, cy - r * .85), (cx + r * .85, cy + r * .85),
                         (cx - r * .85, cy + r * .85)])
    if symbol == "square-x":
        s = r * .85
        return (_polygon([(cx - s, cy - s), (cx + s, cy - s), (cx + s, cy + s), (cx - s, cy + s)])
                + f" M{cx - s:.2f},{cy - s:.2f} L{cx + s:.2f},{cy + s:.2f} M{cx + s:.2f},{cy - s:.2f} L{cx - s:.2f},{cy + s:.2f}")
    if symbol == "diamond":
        return _polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)])
    if symbol == "diamond-tall":
        return _polygon([(cx, cy - r * 1.15), (cx + r * .6, cy), (cx, cy + r * 1.15), (cx - r * .6, cy)])
    rotations = {"triangle-up": -math.pi / 2, "triangle-down": math.pi / 2, "triangle-left": math.pi,
                 "triangle-right": 0.0}
    if symbol in rotations:
        return _polygon(_regular(cx, cy, r * 1.1, 3, rotations[symbol]))
    if symbol == "pentagon":
        return _polygon(_regular(cx, cy, r, 5))
    if symbol == "hexagon":
        return _polygon(_regular(cx, cy, r, 6, 0.0))
    if symbol == "star":
        return _polygon(_star(cx, cy, r * 1.2, 5, 0.45))
    if symbol == "star-triangle-up":
        return _polygon(_star(cx, cy, r * 1.2, 3, 0.45))
    if symbol == "cross":
        return _polygon(_cross(cx, cy, r))
    if symbol == "x":
        return _polygon(_cross(cx, cy, r, angle=math.pi / 4))
    return (f"M{cx - r:.2f},{cy:.2f} A{r:.2f},{r:.2f} 0 1,0 {cx + r:.2f},{cy:.2f} "
            f"A{r:.2f},{r:.2f} 0 1,0 {cx - r:.2f},{cy:.2f} Z")
