"""Write data/pathways.csv: each channel drawn through its points in order.

For every meridian, view and side, consecutive points of the channel that
are placed there are joined; the line breaks where the channel leaves the
view (a point in between is not placed on it) or jumps across the body.
Hand-added waypoints (rows with x and y) are kept as they are. Run it after
placements change, then `bodymap validate`.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from bodymap import load_atlas

DATA = Path(__file__).resolve().parent.parent / "data"
COLUMNS = ["meridian", "view", "side", "line", "seq", "point", "x", "y"]
MAX_JUMP = 0.3  # of the view's height


def main() -> None:
    atlas = load_atlas(DATA)
    with (DATA / "pathways.csv").open(encoding="utf-8", newline="") as handle:
        waypoints = [row for row in csv.DictReader(handle) if not row["point"]]
    rows = list(waypoints)
    next_line = 1 + max((int(r["line"]) for r in waypoints), default=0)
    for meridian in atlas.meridians.values():
        if meridian.kind != "channel":
            continue
        for view in atlas.views.values():
            limit = MAX_JUMP * view.silhouette.height
            for side in ("left", "right", "midline"):
                placed = sorted(
                    (atlas.points[p.point].number, p.point, p.x, p.y)
                    for p in (pl for pt in atlas.points.values() if pt.meridian == meridian.code
                              for pl in pt.placements)
                    if p.view == view.id and p.side == side and not p.part
                )
                lines, current = [], []
                for item in placed:
                    if current and (item[0] != current[-1][0] + 1
                                    or math.dist(item[2:], current[-1][2:]) > limit):
                        lines.append(current)
                        current = []
                    current.append(item)
                lines.append(current)
                for line in (l for l in lines if len(l) >= 2):
                    for seq, (_, code, _, _) in enumerate(line, start=1):
                        rows.append(dict(meridian=meridian.code, view=view.id, side=side, line=str(next_line),
                                         seq=str(seq), point=code, x="", y=""))
                    next_line += 1
    with (DATA / "pathways.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} pathway vertices")


if __name__ == "__main__":
    main()
