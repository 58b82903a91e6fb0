"""Draw every view with every point labelled, for checking positions by eye.

    python -m bodymap.contact_sheet [--data DIR] [--output docs/contact-sheet]

Writes one SVG per view (``<view>.svg``) and an ``index.html`` showing them
all. Positions are illustrative, not anatomical; the sheet says so.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from html import escape
from pathlib import Path

from .artwork import svg_layers
from .labels import place_labels
from .loader import load_atlas
from .model import ILLUSTRATIVE_NOTICE, Atlas, View
from .problems import DataError

PIXELS_TALL = 1600
FONT_PX = 11
MARKER_PX = 4


def view_svg(atlas: Atlas, view: View) -> str:
    """One view as a standalone SVG document, every placement labelled."""
    x0, y0, width, height = view.silhouette.view_box
    scale = PIXELS_TALL / height
    font, radius = FONT_PX / scale, MARKER_PX / scale
    layer = atlas.layers[view.id]
    texts = [code + (f"·{part}" if part else "") for code, part in zip(layer.codes, layer.parts)]
    labels = place_labels(layer.xy, texts, font_size=font, marker_radius=radius)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:g} {y0:g} {width:g} {height + font * 3:g}" '
        f'width="{width * scale:.0f}" height="{(height + font * 3) * scale:.0f}" font-family="DejaVu Sans, sans-serif">',
        f"<title>{escape(view.name)}: every point</title>",
        '<rect x="{0:g}" y="{1:g}" width="{2:g}" height="{3:g}" fill="white"/>'.format(x0, y0, width, height + font * 3),
        *svg_layers(view.silhouette, unit=1.6 / scale),
    ]
    for meridian, pathways in atlas.pathways.items():
        colour = atlas.meridians[meridian].colour
        for pathway in (p for p in pathways if p.view == view.id):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in pathway.xy)
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-opacity="0.5" '
                         f'stroke-width="{1.2 / scale:g}"/>')
    for (x, y), code, label in zip(layer.xy, layer.codes, labels):
        colour = atlas.meridians[atlas.points[code].meridian].colour
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.2f}" fill="{colour}" stroke="white" '
                     f'stroke-width="{0.8 / scale:g}"/>')
        parts.append(f'<text x="{label.x:.1f}" y="{label.y:.1f}" font-size="{font:.2f}" text-anchor="{label.anchor}" '
                     f'fill="#222">{escape(label.text)}</text>')
    parts.append(f'<text x="{x0 + font / 2:g}" y="{y0 + height + font * 2:g}" font-size="{font:.2f}" fill="#555">'
                 f"{escape(view.name)} · {len(layer.codes)} placements · {escape(ILLUSTRATIVE_NOTICE)}</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def write_sheet(atlas: Atlas, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for view in atlas.views.values():
        path = folder / f"{view.id}.svg"
        _write_atomically(path, view_svg(atlas, view))
        written.append(path)
    items = "\n".join(f'<figure><img src="{v.id}.svg" alt="{escape(v.name)} view with every point labelled">'
                      f"<figcaption>{escape(v.name)}</figcaption></figure>" for v in atlas.views.values())
    _write_atomically(folder / "index.html", f"""<!doctype html><meta charset="utf-8"><title>bodymap contact sheet</title>
<style>body{{font-family:sans-serif}} img{{max-width:100%;border:1px solid #ddd}} figure{{margin:1em 0}}</style>
<h1>bodymap contact sheet</h1><p>{escape(ILLUSTRATIVE_NOTICE)}</p>
{items}
""")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bodymap.contact_sheet", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="a data folder of your own")
    parser.add_argument("--output", type=Path, default=Path("docs/contact-sheet"), help="folder to write into")
    args = parser.parse_args(argv)
    try:
        atlas = load_atlas(args.data)
        written = write_sheet(atlas, args.output)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 2
    except OSError as error:
        print(f"contact_sheet: cannot write to {args.output} ({error.strerror or error})", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} views to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
