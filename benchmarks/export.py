"""Handout export time against matplotlib saving the same figure.

Prints one JSON line per measurement:
{"task": "handout" | "all-conditions", "renderer": "bodymap" | "matplotlib",
 "format", "n_figures", "median_s"}

- handout: one PDF of the same points on the same views. bodymap's comes from
  a running app over loopback (its export link); matplotlib's is drawn and
  saved in this process. Rounds interleave. Two handouts: sciatica (9 points,
  one page: the case the goal is about) and back pain (32 points, whose table
  runs on to further pages that matplotlib's figure does not have).
- all-conditions: one PDF per condition, each side as a fresh process
  (`bodymap export --all-conditions` against this script's matplotlib mode),
  so both pay for starting Python and importing their libraries.

    python benchmarks/export.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from _server import BODYMAP, start, timed

CONDITIONS = {"one page": "sciatica", "several pages": "back-pain"}
VIEWS = ("back", "side")


def matplotlib_figure(atlas, condition: str, views=VIEWS) -> bytes:
    """The same views and points as a bodymap handout, drawn the plain matplotlib way."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bodymap import query

    symbols = {"circle": "o", "square": "s", "diamond": "D", "triangle-up": "^", "triangle-down": "v",
               "triangle-left": "<", "triangle-right": ">", "pentagon": "p", "hexagon": "h", "star": "*",
               "cross": "P", "x": "X", "diamond-tall": "d", "square-x": "s", "star-triangle-up": "2"}
    result = query(atlas, conditions=[condition])
    numbers = {m.point.code: i for i, m in enumerate(result.matches, start=1)}
    figure, axes = plt.subplots(1, len(views), figsize=(8.27, 11.69), squeeze=False)
    axes = axes[0]
    figure.suptitle(f"Points for {atlas.conditions[condition].name.lower()}")
    for ax, view in zip(axes, views):
        silhouette = atlas.views[view].silhouette
        for polygon in silhouette.polygons:
            ax.fill(polygon[:, 0], polygon[:, 1], facecolor="#f3ede6", edgecolor="#4a4038", linewidth=0.8)
        layer = atlas.layers[view]
        for i, code in enumerate(layer.codes):
            if code in numbers:
                meridian = atlas.meridians[atlas.points[code].meridian]
                x, y = layer.xy[i]
                ax.scatter([x], [y], c=meridian.colour, marker=symbols.get(meridian.symbol, "o"), s=18)
                ax.annotate(str(numbers[code]), (x, y), xytext=(3, 0), textcoords="offset points", fontsize=5)
        x0, y0, width, height = silhouette.view_box
        ax.set_xlim(x0, x0 + width)
        ax.set_ylim(y0 + height, y0)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(atlas.views[view].name)
    figure.text(0.05, 0.02, "Point positions are illustrative, not anatomical.", fontsize=7)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    plt.close(figure)
    return buffer.getvalue()


def matplotlib_all(folder: Path) -> None:
    from bodymap import load_atlas

    atlas = load_atlas()
    for condition in atlas.conditions:
        views = [v for v in VIEWS if any(p.view == v for code in atlas.conditions[condition].points
                                          for p in atlas.points[code].placements)] or list(VIEWS)
        (folder / f"{condition}.pdf").write_bytes(matplotlib_figure(atlas, condition, tuple(views)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--matplotlib-all", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.matplotlib_all:
        matplotlib_all(args.matplotlib_all)
        return

    from bodymap import load_atlas

    atlas = load_atlas()
    process, url, _ = start(BODYMAP, "bodymap serve")
    links = {case: f"{url}_bodymap/export?condition={condition}&view={','.join(VIEWS)}&format=pdf"
             for case, condition in CONDITIONS.items()}
    try:
        fetch = lambda link: urllib.request.urlopen(link, timeout=60).read()  # noqa: E731
        for link in links.values():
            fetch(link)  # the app imports its PDF converter on first use
        for condition in CONDITIONS.values():
            matplotlib_figure(atlas, condition)  # and matplotlib its backends
        handout = {(case, renderer): [] for case in CONDITIONS for renderer in ("bodymap", "matplotlib")}
        pages = {}
        for _ in range(args.rounds):
            for case, condition in CONDITIONS.items():
                handout[(case, "bodymap")].append(timed(lambda: pages.__setitem__(case, fetch(links[case]))))
                handout[(case, "matplotlib")].append(timed(lambda: matplotlib_figure(atlas, condition)))
    finally:
        process.terminate()
    from pypdf import PdfReader

    for (case, renderer), samples in handout.items():
        count = len(PdfReader(io.BytesIO(pages[case])).pages) if renderer == "bodymap" else 1
        print(json.dumps({"task": "handout", "case": case, "condition": CONDITIONS[case], "renderer": renderer,
                          "format": "pdf", "pages": count, "median_s": round(statistics.median(samples), 3)}))

    commands = {
        "bodymap": lambda out: [sys.executable, "-m", "bodymap", "export", "--all-conditions", "--format", "pdf",
                                "--output", str(out)],
        "matplotlib": lambda out: [sys.executable, __file__, "--matplotlib-all", str(out)],
    }
    every = {name: [] for name in commands}
    for _ in range(max(1, args.rounds // 3)):
        for name, command in commands.items():
            with tempfile.TemporaryDirectory() as out:
                every[name].append(timed(lambda: subprocess.run(command(out), check=True, capture_output=True)))
    for renderer, samples in every.items():
        print(json.dumps({"task": "all-conditions", "renderer": renderer, "format": "pdf",
                          "n_figures": len(atlas.conditions), "median_s": round(statistics.median(samples), 3)}))


if __name__ == "__main__":
    main()
