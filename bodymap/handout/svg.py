"""A handout page as SVG: title, views with numbered points, legend, table,
sources and the illustrative-position footer. Text stays text, so the PDF
made from it can be searched and copied."""

from __future__ import annotations

import unicodedata
from html import escape

import numpy as np

from ..artwork import svg_layers
from ..i18n import _, caution_kind, marked, ngettext
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


# Chinese text breaks between any two characters, but not before closing punctuation
# or after opening punctuation (kinsoku).
_NO_LINE_START = frozenset("，。；：、！？）》」』】〕,.;:!?)%")
_NO_LINE_END = frozenset("（《「『【〔(")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces of ``text``, each with whether a space came before it."""
    tokens: list[list] = []
    space = False
    for ch in text:
        if ch.isspace():
            space = True
            continue
        if tokens and not space and (ch in _NO_LINE_START or tokens[-1][0][-1] in _NO_LINE_END
                                     or not (_wide(ch) or _wide(tokens[-1][0][-1]))):
            tokens[-1][0] += ch
        else:
            tokens.append([ch, space])
        space = False
    return [(token, spaced) for token, spaced in tokens]


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most ``width``: Latin text breaks at spaces, Chinese between characters."""
    lines, current = [], ""
    for token, spaced in _tokens(text):
        trial = f"{current} {token}" if spaced and current else current + token
        if current and text_width(trial, size) > width:
            lines.append(current)
            current = token
        else:
            current = trial
    return lines + ([current] if current else [])


class _Page:
    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.parts: list[str] = []
        self.clips: list[str] = []

    def clip(self, x, y, width, height) -> str:
        """A clip path for a rectangle of the page; its id."""
        name = f"clip{len(self.clips) + 1}"
        self.clips.append(f'<clipPath id="{name}"><rect x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" '
                          f'height="{height:.2f}"/></clipPath>')
        return name

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
                + (f"<defs>{''.join(self.clips)}</defs>" if self.clips else "")
                + f'<rect width="{self.width:.2f}" height="{self.height:.2f}" fill="white"/>')
        return head + "\n".join(self.parts) + "</svg>\n"


def _numbered(selection: Selection) -> dict[str, int]:
    return {m.point.code: i for i, m in enumerate(selection.result.matches, start=1)}


# A framed view keeps this much of the body round its points, and never less than this across.
FRAME_MARGIN_CUN = 2.0
FRAME_MIN_CUN = 10.0


def frame_box(atlas: Atlas, view_id: str, codes) -> tuple[float, float, float, float]:
    """The part of a view (x, y, width, height in its units) round the points ``codes``: about two cun
    about them, at least ten cun across, within the view; the whole view when none is on it."""
    view = atlas.views[view_id]
    vx, vy, vw, vh = view.silhouette.view_box
    layer = atlas.layers[view_id]
    rows = [i for i, code in enumerate(layer.codes) if code in set(codes)]
    if not rows:
        return vx, vy, vw, vh
    xy = layer.xy[rows]
    marks = atlas.landmarks.get(view_id, {})
    if marks:
        # The cun where the points are: that of the landmarks nearest them.
        centres = np.array([(m.x, m.y) for m in marks.values()])
        cuns = np.array([m.cun for m in marks.values()])
        nearest = np.argmin(((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
        cun = float(np.median(cuns[nearest]))
    else:
        cun = view.silhouette.height / 75.0  # a whole body is about 75 cun tall
    pad, least = FRAME_MARGIN_CUN * cun, FRAME_MIN_CUN * cun
    (x0, y0), (x1, y1) = xy.min(axis=0) - pad, xy.max(axis=0) + pad
    if x1 - x0 < least:
        x0, x1 = (x0 + x1 - least) / 2, (x0 + x1 + least) / 2
    if y1 - y0 < least:
        y0, y1 = (y0 + y1 - least) / 2, (y0 + y1 + least) / 2
    x0, y0 = max(x0, vx), max(y0, vy)
    x1, y1 = min(x1, vx + vw), min(y1, vy + vh)
    return x0, y0, x1 - x0, y1 - y0


def _draw_view(page: _Page, atlas: Atlas, view_id: str, numbers: dict[str, int], box, *,
               anonymous: bool = False, frame: str = "body", insets: tuple[str, ...] = ()) -> list:
    """One view in ``box`` on the page, its points numbered; returns the labels placed (page units).

    ``anonymous`` markers (a quiz) are plain circles with no code in a title or a meridian's shape.
    ``frame="points"`` shows only the part of the view round the numbered points. ``insets`` are regions
    of this view drawn as close-ups elsewhere on the page: each is outlined here and its points are
    numbered there, not in the crowd here.
    """
    x, y, w, h = box
    view = atlas.views[view_id]
    page.text(x + w / 2, y + 9, view.name, 8.5, weight="bold", anchor="middle")
    y, h = y + 14, h - 14
    if frame == "points":
        vx, vy, vw, vh = frame_box(atlas, view_id, numbers)
    else:
        vx, vy, vw, vh = view.silhouette.view_box
    scale = min(w / vw, h / vh)
    ox, oy = x + (w - vw * scale) / 2, y  # drawings hang from the top, under their names
    transform = f"translate({ox:.2f},{oy:.2f}) scale({scale:.5f}) translate({-vx:g},{-vy:g})"
    clip = page.clip(ox, oy, vw * scale, vh * scale)
    page.parts.append(f'<g clip-path="url(#{clip})">')
    page.parts.extend(svg_layers(view.silhouette, transform, 1 / scale))
    page.parts.append("</g>")
    layer = atlas.layers[view_id]
    rows = [i for i, code in enumerate(layer.codes) if code in numbers
            and vx <= layer.xy[i, 0] <= vx + vw and vy <= layer.xy[i, 1] <= vy + vh]
    positions = [(ox + (layer.xy[i, 0] - vx) * scale, oy + (layer.xy[i, 1] - vy) * scale) for i in rows]
    radius = 2.6
    # A group point (the Jiaji along the spine) is numbered once on each side, at its top part.
    boxes = [atlas.views[rid].silhouette.view_box for rid in insets]

    def in_inset(i):
        px, py = layer.xy[i]
        return any(bx <= px <= bx + bw and by <= py <= by + bh for bx, by, bw, bh in boxes)

    first = {}
    for k, i in sorted(enumerate(rows), key=lambda item: layer.xy[item[1], 1]):
        if not in_inset(i):
            first.setdefault((layer.codes[i], layer.sides[i]), k)
    named = sorted(first.values())
    unnamed = set(range(len(rows))) - set(named)
    placed = place_labels([positions[k] for k in named], [str(numbers[layer.codes[rows[k]]]) for k in named],
                          font_size=6.0, marker_radius=radius, leaders=True,
                          others=[positions[k] for k in sorted(unnamed)])
    labels = [None] * len(rows)
    for k, label in zip(named, placed):
        labels[k] = label
    for (px, py), label in zip(positions, labels):
        if label is not None and label.leader is not None:
            page.parts.append(f'<line x1="{px:.2f}" y1="{py:.2f}" x2="{label.leader[0]:.2f}" y2="{label.leader[1]:.2f}" '
                              f'stroke="{MUTED}" stroke-width="0.4"/>')
    for i, (px, py) in zip(rows, positions):
        meridian = atlas.meridians[atlas.points[layer.codes[i]].meridian]
        if anonymous:
            page.parts.append(f'<path d="{symbol_path("circle", px, py, radius)}" fill="{INK}" stroke="white" '
                              f'stroke-width="0.5"/>')
        else:
            page.parts.append(f'<g transform="translate({px:.2f},{py:.2f})"><title>{escape(layer.codes[i])}</title>'
                              f'<path d="{symbol_path(meridian.symbol, 0, 0, radius)}" fill="{meridian.colour}" '
                              f'stroke="white" stroke-width="0.5"/></g>')
    for rid, (bx, by, bw, bh) in zip(insets, boxes):
        left, top = ox + (bx - vx) * scale, oy + (by - vy) * scale
        page.parts.append(f'<rect class="inset" x="{left:.2f}" y="{top:.2f}" width="{bw * scale:.2f}" '
                          f'height="{bh * scale:.2f}" fill="none" stroke="{MUTED}" stroke-width="0.6" '
                          f'stroke-dasharray="2 1.5"/>')
        page.text(left + 1.5, top - 1.8, _("see {view}").format(view=atlas.views[rid].name), 5.5, fill=MUTED,
                  italic=True)
    # Numbers over every marker, so none hides under a neighbour's.
    for label in placed:
        page.parts.append(f'<text class="number" x="{label.x:.1f}" y="{label.y:.1f}" font-size="6.00" '
                          f'font-weight="bold" fill="{INK}" text-anchor="{label.anchor}">{escape(label.text)}</text>')
    return placed


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
        cell += " · " + _("outside the WHO list")
    if point.categories:
        cell += " · " + "; ".join(category_text(atlas, c, compact=True) for c in point.categories)
    return cell


def location_cell(point: Point) -> str:
    """The table's Location column: the location, then where authorities place the point differently."""
    if point.location_note:
        return _("{location} Authorities differ: {note}").format(location=marked(point.location),
                                                                 note=marked(point.location_note.text))
    return marked(point.location)


TABLE_FONT = 7.0
SOURCES_FONT = 6.0


def _columns(selection: Selection, usable: float) -> list[tuple[str, float]]:
    shares = [("#", 0.04), (_("Point"), 0.16), (_("Location"), 0.30), (_("How to find it"), 0.30),
              (_("Cautions"), 0.20)]
    if any(selection.notes):
        shares = [("#", 0.04), (_("Point"), 0.15), (_("Location"), 0.23), (_("How to find it"), 0.23),
                  (_("Cautions"), 0.16), (_("Note"), 0.19)]
    return [(heading, usable * share) for heading, share in shares]


def _rows(atlas: Atlas, selection: Selection, columns, size: float) -> list[list[list[str]]]:
    numbers = _numbered(selection)
    notes = dict(zip((m.point.code for m in selection.result.matches), selection.notes))
    rows = []
    for match in selection.result.matches:
        point = match.point
        cells = [str(numbers[point.code]), point_cell(atlas, point), location_cell(point), marked(point.how_to_find),
                 " ".join(_("{kind}: {text}").format(kind=caution_kind(c.kind), text=marked(c.text))
                          for c in point.cautions) or "–"]
        if len(columns) > 5:
            cells.append(notes.get(point.code, ""))
        rows.append([wrap(cell, width - 7, size) for cell, (_, width) in zip(cells, columns)])
    return rows


def _row_height(row, size: float) -> float:
    return max(len(cell) for cell in row) * size * 1.2 + 3


def _table_rows(page: _Page, columns, rows, size: float, top: float) -> float:
    """The table's heading and ``rows`` from ``top``; returns the y below them."""
    line = size * 1.2
    x = MARGIN
    for heading, width in columns:
        page.text(x + 2, top + size, heading, size, weight="bold")
        x += width
    y = top + line * 1.6
    page.line(MARGIN, y - line * 0.5, page.width - MARGIN, y - line * 0.5, colour=INK, width=0.6)
    for row in rows:
        x = MARGIN
        for column, (cell, (_heading, width)) in enumerate(zip(row, columns)):
            fill = "#a4001d" if column == 4 and cell != ["–"] else INK
            for k, text in enumerate(cell):
                page.text(x + 2, y + size + k * line, text, size, weight="bold" if column == 0 else "normal", fill=fill)
            x += width
        y += _row_height(row, size)
        page.line(MARGIN, y - 1.5, page.width - MARGIN, y - 1.5)
    return y


def _paginate(rows, size: float, first: float, later: float) -> list[list]:
    """Rows split into pages: ``first`` and then ``later`` points of height for each page's rows."""
    pages, current, room = [], [], first - size * 1.2 * 1.6
    for row in rows:
        height = _row_height(row, size)
        if current and height > room:
            pages.append(current)
            current, room = [], later - size * 1.2 * 1.6
        current.append(row)
        room -= height
    return pages + [current]


def _source_lines(atlas: Atlas, selection: Selection, width: float) -> list[str]:
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
        return []
    return wrap(_("Sources: {list}").format(list="; ".join(atlas.sources[s].citation for s in used)), width,
                SOURCES_FONT)


def _sources(page: _Page, lines: list[str], y: float) -> float:
    for line in lines:
        y += SOURCES_FONT * 1.25
        page.text(MARGIN, y, line, SOURCES_FONT, fill=MUTED)
    return y


def _footer(page: _Page, selection: Selection, number: int = 1, count: int = 1) -> None:
    y = page.height - MARGIN / 2
    page.line(MARGIN, y - 9, page.width - MARGIN, y - 9)
    page.text(MARGIN, y, _(ILLUSTRATIVE_NOTICE), 7, weight="bold")
    made = f"bodymap · {selection.spec.date}" if selection.spec.date else "bodymap"
    if count > 1:
        made = _("page {number} of {count}").format(number=number, count=count) + f" · {made}"
    page.text(page.width - MARGIN, y, made, 7, fill=MUTED, anchor="end")


def handout_pages(atlas: Atlas, selection: Selection) -> list[str]:
    """The handout as SVG pages: the views, the legend and the table on the first, the table continued on
    as many more as it needs, the sources after it, the illustrative-position notice on every page."""
    width, height = selection.spec.page_size
    first = _Page(width, height)
    first.text(MARGIN, MARGIN + 12, selection.title, 18, weight="bold")
    subtitle = selection.subtitle or (
        ngettext("{count} point", "{count} points", len(selection.result)).format(count=len(selection.result))
        + " · " + ngettext("{views} view", "{views} views", len(selection.views)).format(
            views=_(", ").join(atlas.views[v].name for v in selection.views)))
    first.text(MARGIN, MARGIN + 28, subtitle, 9.5, fill=MUTED)
    top = MARGIN + 38
    for line in wrap(selection.intro, width - 2 * MARGIN, 9.0)[:MAX_INTRO_LINES]:
        first.text(MARGIN, top + 8, line, 9.0)
        top += 11.5
    footer_top = height - MARGIN / 2 - 14
    table = selection.spec.table
    gap = 10
    count = len(selection.views)
    panel_width = (width - 2 * MARGIN - gap * (count - 1)) / count
    legend_height = _legend(_Page(width, height), atlas, selection, 0) + 2
    sources = _source_lines(atlas, selection, width - 2 * MARGIN)
    sources_height = len(sources) * SOURCES_FONT * 1.25 + 4
    later_top = MARGIN + 30
    columns = _columns(selection, width - 2 * MARGIN)
    # The figure takes about half the page. A table a little too long for the rest first shrinks the
    # figure, then its own type, to stay on one page; a longer one goes on to further pages at full size.
    share, size, chunks = 0.86, TABLE_FONT, [[]]
    if table:
        for share, size in ((0.48, TABLE_FONT), (0.42, TABLE_FONT), (0.42, 6.5), (0.36, 6.5), (0.36, 6.0)):
            rows = _rows(atlas, selection, columns, size)
            below = top + (footer_top - top) * share + 12 + legend_height
            chunks = _paginate(rows, size, footer_top - sources_height - below, footer_top - later_top)
            if len(chunks) == 1:
                break
        if len(chunks) > 1:
            share, size = 0.48, TABLE_FONT
            rows = _rows(atlas, selection, columns, size)
            below = top + (footer_top - top) * share + 12 + legend_height
            chunks = _paginate(rows, size, footer_top - below - 12, footer_top - later_top)
    views_height = (footer_top - top) * share
    numbers = _numbered(selection)
    for k, view in enumerate(selection.views):
        insets = tuple(v for v in selection.views if atlas.views[v].region_of == view)
        _draw_view(first, atlas, view, numbers, (MARGIN + k * (panel_width + gap), top, panel_width, views_height),
                   frame=selection.spec.frame, insets=insets)
    y = _legend(first, atlas, selection, top + views_height + 12) + 2
    pages = [first]
    if table:
        y = _table_rows(first, columns, chunks[0], size, y)
        for chunk in chunks[1:]:
            page = _Page(width, height)
            page.text(MARGIN, MARGIN + 12, _("{title} (continued)").format(title=selection.title), 12, weight="bold")
            y = _table_rows(page, columns, chunk, size, later_top)
            pages.append(page)
        if len(chunks) > 1:
            first.text(MARGIN, footer_top - 4, ngettext("The table continues on page 2: {count} point in all.",
                                                        "The table continues on page 2: {count} points in all.",
                                                        len(rows)).format(count=len(rows)), size,
                       italic=True, fill=MUTED)
    last = pages[-1]
    if sources and y + sources_height > footer_top:
        last = _Page(width, height)
        last.text(MARGIN, MARGIN + 12, _("{title} (sources)").format(title=selection.title), 12, weight="bold")
        y = MARGIN + 20
        pages.append(last)
    _sources(last, sources, y + 2)
    for number, page in enumerate(pages, start=1):
        _footer(page, selection, number, len(pages))
    return [page.svg(selection.title) for page in pages]


def handout_svg(atlas: Atlas, selection: Selection) -> str:
    """The first page as an SVG document (the whole handout when it fits on one page)."""
    return handout_pages(atlas, selection)[0]
