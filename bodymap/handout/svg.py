"""A handout page as SVG: title, views with numbered points, legend, table,
sources and the illustrative-position footer. Text stays text, so the PDF
made from it can be searched and copied."""

from __future__ import annotations

import unicodedata
from html import escape

from ..artwork import svg_layers
from ..labels import place_labels
from ..model import ILLUSTRATIVE_NOTICE, Atlas, Point
from ..serialise import category_text
from .spec import Selection
from .symbols import symbol_path

MARGIN = 36.0
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CJK_FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, Source Han Sans SC, sans-serif"
INK, MUTED, RULE = "#222222", "#666666", "#cccccc"
MIN_TABLE_FONT = 5.5
MAX_INTRO_LINES = 6


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _runs(text: str) -> str:
    """Escaped text with hanzi in their own spans: the PDF converter does not
    fall back from one font to another, so CJK text names a CJK font itself."""
    out, start = [], 0
    for k in range(1, len(text) + 1):
        if k == len(text) or _wide(text[k]) != _wide(text[start]):
            run = escape(text[start:k])
            out.append(f'<tspan font-family="{CJK_FONT}">{run}</tspan>' if _wide(text[start]) else run)
            start = k
    return "".join(out)


def text_width(text: str, size: float) -> float:
    """An estimate good enough for wrapping: wide characters (hanzi) count double."""
    return sum(size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.52) for ch in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and text_width(trial, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return lines + ([current] if current else [])


class _Page:
    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.parts: list[str] = []

    def text(self, x, y, content, size, *, weight="normal", fill=INK, anchor="start", italic=False):
        style = ' font-style="italic"' if italic else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.2f}" font-weight="{weight}" fill="{fill}" '
                          f'text-anchor="{anchor}"{style}>{_runs(content)}</text>')

    def line(self, x1, y1, x2, y2, colour=RULE, width=0.5):
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                          f'stroke-width="{width}"/>')

    def svg(self, title: str) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.2f}pt" height="{self.height:.2f}pt" '
                f'viewBox="0 0 {self.width:.2f} {self.height:.2f}" font-family="{FONT}">'
                f"<title>{escape(title)}</title>"
                f'<rect width="{self.width:.2f}" height="{self.height:.2f}" fill="white"/>')
        return head + "\n".join(self.parts) + "</svg>\n"


def _numbered(selection: Selection) -> dict[str, int]:
    return {m.point.code: i for i, m in enumerate(selection.result.matches, start=1)}


def _draw_view(page: _Page, atlas: Atlas, view_id: str, numbers: dict[str, int], box, *,
               anonymous: bool = False) -> None:
    """``anonymous`` markers (a quiz) are plain circles with no code in a title or a meridian's shape."""
    x, y, w, h = box
    view = atlas.views[view_id]
    page.text(x + w / 2, y + 9, view.name, 8.5, weight="bold", anchor="middle")
    y, h = y + 14, h - 14
    vx, vy, vw, vh = view.silhouette.view_box
    scale = min(w / vw, h / vh)
    ox, oy = x + (w - vw * scale) / 2, y + (h - vh * scale) / 2
    transform = f"translate({ox:.2f},{oy:.2f}) scale({scale:.5f}) translate({-vx:g},{-vy:g})"
    page.parts.extend(svg_layers(view.silhouette, transform, 1 / scale))
    layer = atlas.layers[view_id]
    rows = [i for i, code in enumerate(layer.codes) if code in numbers]
    positions = [(ox + (layer.xy[i, 0] - vx) * scale, oy + (layer.xy[i, 1] - vy) * scale) for i in rows]
    radius = 2.6
    labels = place_labels(positions, [str(numbers[layer.codes[i]]) for i in rows], font_size=6.0, marker_radius=radius)
    for i, (px, py), label in zip(rows, positions, labels):
        meridian = atlas.meridians[atlas.points[layer.codes[i]].meridian]
        if anonymous:
            page.parts.append(f'<path d="{symbol_path("circle", px, py, radius)}" fill="{INK}" stroke="white" '
                              f'stroke-width="0.5"/>')
            page.text(label.x, label.y, label.text, 6.0, weight="bold", anchor=label.anchor)
            continue
        page.parts.append(f'<g transform="translate({px:.2f},{py:.2f})"><title>{escape(layer.codes[i])}</title>'
                          f'<path d="{symbol_path(meridian.symbol, 0, 0, radius)}" fill="{meridian.colour}" '
                          f'stroke="white" stroke-width="0.5"/></g>')
        page.text(label.x, label.y, label.text, 6.0, weight="bold", anchor=label.anchor)


def _legend(page: _Page, atlas: Atlas, selection: Selection, y: float) -> float:
    x = MARGIN
    meridians = dict.fromkeys(m.point.meridian for m in selection.result.matches)
    for code in meridians:
        meridian = atlas.meridians[code]
        label = f"{meridian.code} {meridian.name}"
        width = 12 + text_width(label, 7) + 10
        if x + width > page.width - MARGIN:
            x, y = MARGIN, y + 11
        page.parts.append(f'<path d="{symbol_path(meridian.symbol, x + 4, y - 2.5, 3.2)}" fill="{meridian.colour}"/>')
        page.text(x + 10, y, label, 7)
        x += width
    return y + 12


def point_cell(atlas: Atlas, point: Point) -> str:
    """The table's Point column: code and names, a mark for points outside the WHO list, then the point's
    special categories."""
    cell = f"{point.code} {point.pinyin} {point.hanzi} ({point.english})"
    if point.outside_who:
        cell += " · outside the WHO list"
    if point.categories:
        cell += " · " + "; ".join(category_text(atlas, c, compact=True) for c in point.categories)
    return cell


def location_cell(point: Point) -> str:
    """The table's Location column: the location, then where authorities place the point differently."""
    if point.location_note:
        return f"{point.location} Authorities differ: {point.location_note.text}"
    return point.location


def _table(page: _Page, atlas: Atlas, selection: Selection, top: float, bottom: float) -> float:
    numbers = _numbered(selection)
    usable = page.width - 2 * MARGIN
    shares = [("#", 0.04), ("Point", 0.16), ("Location", 0.30), ("How to find it", 0.30), ("Cautions", 0.20)]
    notes = dict(zip((m.point.code for m in selection.result.matches), selection.notes))
    if any(notes.values()):
        shares = [("#", 0.04), ("Point", 0.15), ("Location", 0.23), ("How to find it", 0.23), ("Cautions", 0.16),
                  ("Note", 0.19)]
    widths = [usable * share for _, share in shares]
    size = 7.0
    while True:
        rows = []
        for match in selection.result.matches:
            point = match.point
            cells = [str(numbers[point.code]), point_cell(atlas, point),
                     location_cell(point), point.how_to_find, " ".join(f"{c.kind}: {c.text}" for c in point.cautions) or "–"]
            if len(shares) > 5:
                cells.append(notes.get(point.code, ""))
            rows.append([wrap(cell, width - 4, size) for cell, width in zip(cells, widths)])
        line = size * 1.2
        needed = line * 1.6 + sum(max(len(cell) for cell in row) * line + 3 for row in rows)
        if needed <= bottom - top or size <= MIN_TABLE_FONT:
            break
        size -= 0.5
    x = MARGIN
    for (heading, _), width in zip(shares, widths):
        page.text(x + 2, top + size, heading, size, weight="bold")
        x += width
    y = top + line * 1.6
    page.line(MARGIN, y - line * 0.5, page.width - MARGIN, y - line * 0.5, colour=INK, width=0.6)
    shown = 0
    for row in rows:
        height = max(len(cell) for cell in row) * line + 3
        if y + height > bottom - line:
            break
        x = MARGIN
        for column, (cell, width) in enumerate(zip(row, widths)):
            fill = "#a4001d" if column == 4 and cell != ["–"] else INK
            for k, text in enumerate(cell):
                page.text(x + 2, y + size + k * line, text, size, weight="bold" if column == 0 else "normal", fill=fill)
            x += width
        y += height
        page.line(MARGIN, y - 1.5, page.width - MARGIN, y - 1.5)
        shown += 1
    if shown < len(rows):
        page.text(MARGIN, y + size, f"… and {len(rows) - shown} more points, numbered on the figure: for a full "
                  "table choose fewer points (a condition, or fewer meridians).", size, italic=True, fill=MUTED)
        y += line
    return y


def _sources(page: _Page, atlas: Atlas, selection: Selection, y: float, bottom: float) -> float:
    chosen = set(selection.spec.conditions)
    used = dict.fromkeys(link.source for m in selection.result.matches for link in m.point.links
                         if not chosen or link.condition in chosen)
    if selection.spec.table:
        # The table's categories and location notes name their sources too.
        for match in selection.result.matches:
            used.update(dict.fromkeys(c.source for c in match.point.categories))
            if match.point.location_note:
                used[match.point.location_note.source] = None
    if not used:
        return y
    text = "Sources: " + "; ".join(atlas.sources[s].citation for s in used)
    for line in wrap(text, page.width - 2 * MARGIN, 6.0)[: max(1, int((bottom - y) // 7.5))]:
        y += 7.5
        page.text(MARGIN, y, line, 6.0, fill=MUTED)
    return y


def _footer(page: _Page, selection: Selection) -> None:
    y = page.height - MARGIN / 2
    page.line(MARGIN, y - 9, page.width - MARGIN, y - 9)
    page.text(MARGIN, y, ILLUSTRATIVE_NOTICE, 7, weight="bold")
    made = f"bodymap · {selection.spec.date}" if selection.spec.date else "bodymap"
    page.text(page.width - MARGIN, y, made, 7, fill=MUTED, anchor="end")


def handout_svg(atlas: Atlas, selection: Selection) -> str:
    """The whole page as an SVG document."""
    width, height = selection.spec.page_size
    page = _Page(width, height)
    page.text(MARGIN, MARGIN + 12, selection.title, 18, weight="bold")
    subtitle = selection.subtitle or (f"{len(selection.result)} points · "
                                      + ", ".join(atlas.views[v].name for v in selection.views) + " view"
                                      + ("s" if len(selection.views) > 1 else ""))
    page.text(MARGIN, MARGIN + 28, subtitle, 9.5, fill=MUTED)
    top = MARGIN + 38
    for line in wrap(selection.intro, width - 2 * MARGIN, 9.0)[:MAX_INTRO_LINES]:
        page.text(MARGIN, top + 8, line, 9.0)
        top += 11.5
    footer_top = height - MARGIN / 2 - 14
    table = selection.spec.table
    views_height = (footer_top - top) * (0.48 if table else 0.86)
    gap = 10
    count = len(selection.views)
    panel_width = (width - 2 * MARGIN - gap * (count - 1)) / count
    numbers = _numbered(selection)
    for k, view in enumerate(selection.views):
        _draw_view(page, atlas, view, numbers, (MARGIN + k * (panel_width + gap), top, panel_width, views_height))
    y = _legend(page, atlas, selection, top + views_height + 12)
    sources_room = 26
    if table:
        y = _table(page, atlas, selection, y + 2, footer_top - sources_room)
    _sources(page, atlas, selection, y + 2, footer_top)
    _footer(page, selection)
    return page.svg(selection.title)
