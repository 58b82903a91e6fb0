#!/usr/bin/env python3
"""Generate the bodymap body silhouettes (assets/svg/*.svg).

Standalone and deterministic: python3 + numpy only, no input files.

    python3 assets/make_silhouettes.py            # writes assets/svg/*.svg

Every outline is defined here by hand-placed control points (in SVG user
units of the view's viewBox).  The points are joined by a centripetal
Catmull-Rom spline that is converted to cubic Bezier segments, so the
output only uses the absolute commands M, C, L and Z.

Node syntax used in the tables below: (x, y) or (x, y, flags) where flags
is a string made of
    c  corner: the curve may change direction abruptly at this node
    h  the curve passes this node horizontally (used for top/bottom extremes)
    v  the curve passes this node vertically (used for left/right extremes)
    l  the segment from this node to the next one is a straight line
"""

import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "svg")

OUTLINE_ATTRS = 'fill="#f3ede6" stroke="#4a4038" stroke-width="1.6"'
DETAIL_ATTRS = 'fill="none" stroke="#b9aa9a" stroke-width="1"'

ALPHA = 0.5  # centripetal parameterisation: no cusps, no self-intersections


# ---------------------------------------------------------------------------
# spline machinery
# ---------------------------------------------------------------------------

def _node(n):
    if len(n) == 2:
        return float(n[0]), float(n[1]), ""
    return float(n[0]), float(n[1]), n[2]


def _tangent(p0, p1, p2, scale_to):
    """Centripetal Catmull-Rom tangent at p1 (neighbours p0, p2).

    The returned vector is scaled for the segment whose parametric length
    is `scale_to` (p1->p2 or p0->p1 depending on the caller)."""
    d01 = max(np.linalg.norm(p1 - p0), 1e-6) ** ALPHA
    d12 = max(np.linalg.norm(p2 - p1), 1e-6) ** ALPHA
    m = (p1 - p0) / d01 - (p2 - p0) / (d01 + d12) + (p2 - p1) / d12
    return m * scale_to


def bezier_segments(nodes, closed=True):
    """Return a list of segments ('C', p0, c1, c2, p1) or ('L', p0, p1)."""
    nd = [_node(n) for n in nodes]
    pts = [np.array([x, y]) for x, y, _ in nd]
    flags = [f for _, _, f in nd]
    n = len(pts)
    count = n if closed else n - 1
    segs = []
    for i in range(count):
        j = (i + 1) % n
        p1, p2 = pts[i], pts[j]
        if "l" in flags[i]:
            segs.append(("L", p1, p2))
            continue
        t12 = max(np.linalg.norm(p2 - p1), 1e-6) ** ALPHA
        # neighbour before p1
        has_prev = closed or i > 0
        if "c" in flags[i] or not has_prev or "l" in flags[(i - 1) % n]:
            p0 = 2 * p1 - p2
        else:
            p0 = pts[(i - 1) % n]
        has_next = closed or j < n - 1
        if "c" in flags[j] or not has_next or "l" in flags[j]:
            p3 = 2 * p2 - p1
        else:
            p3 = pts[(j + 1) % n]
        m1 = _tangent(p0, p1, p2, t12)
        m2 = _tangent(p1, p2, p3, t12)
        for m, f in ((m1, flags[i]), (m2, flags[j])):
            if "h" in f:
                m[1] = 0.0
            if "v" in f:
                m[0] = 0.0
        segs.append(("C", p1, p1 + m1 / 3.0, p2 - m2 / 3.0, p2))
    return segs


def fmt(v):
    s = "%.1f" % (round(float(v) * 10.0) / 10.0)
    if s == "-0.0":
        s = "0.0"
    if s.endswith(".0"):
        s = s[:-2]
    return s


def pt(p):
    return fmt(p[0]) + " " + fmt(p[1])


def round_seg(seg):
    r = lambda p: np.round(np.asarray(p, float) * 10.0) / 10.0
    return (seg[0],) + tuple(r(p) for p in seg[1:])


def segs_to_d(segs, closed=True):
    segs = [round_seg(s) for s in segs]
    out = ["M" + pt(segs[0][1])]
    for s in segs:
        if s[0] == "L":
            out.append("L" + pt(s[2]))
        else:
            out.append("C" + pt(s[2]) + " " + pt(s[3]) + " " + pt(s[4]))
    if closed:
        out.append("Z")
    return " ".join(out)


def spline_d(nodes, closed=True):
    return segs_to_d(bezier_segments(nodes, closed), closed)


def mirror_nodes(nodes, cx):
    res = []
    for n in nodes:
        x, y, f = _node(n)
        res.append((2 * cx - x, y, f))
    return res


def symmetric_outline_d(half, cx):
    """Closed outline symmetric about x = cx.

    `half` runs from a node on the axis (top) down the viewer's left side to
    a node on the axis (bottom).  The right half is the exact mirror image
    (also after rounding to 0.1)."""
    full = list(half) + mirror_nodes(half[-2:0:-1], cx)
    segs = bezier_segments(full, closed=True)
    first = [round_seg(s) for s in segs[: len(half) - 1]]
    mir = lambda p: np.array([2 * cx - p[0], p[1]])
    second = []
    for s in reversed(first):
        if s[0] == "L":
            second.append(("L", mir(s[2]), mir(s[1])))
        else:
            second.append(("C", mir(s[4]), mir(s[3]), mir(s[2]), mir(s[1])))
    return segs_to_d(first + second, closed=True)


def transform(nodes, fn):
    res = []
    for n in nodes:
        x, y, f = _node(n)
        X, Y = fn(x, y)
        res.append((X, Y, f))
    return res


def frame(origin, direction):
    """Local (t, s) -> absolute.  t runs along `direction`, s to its left
    when looking along `direction` on screen (i.e. rotated +90 deg)."""
    o = np.asarray(origin, float)
    d = np.asarray(direction, float)
    d = d / np.linalg.norm(d)
    nrm = np.array([d[1], -d[0]])

    def fn(t, s):
        p = o + d * t + nrm * s
        return p[0], p[1]

    return fn


def polyline_limb(axis, widths):
    """Offset an axis polyline.  axis: list of points; widths: list of
    (left, right) half-widths.  Returns (left_pts, right_pts) where left is
    +normal as in `frame`."""
    axis = [np.asarray(a, float) for a in axis]
    left, right = [], []
    for i, a in enumerate(axis):
        if i == 0:
            d = axis[1] - axis[0]
        elif i == len(axis) - 1:
            d = axis[-1] - axis[-2]
        else:
            d = axis[i + 1] - axis[i - 1]
        d = d / np.linalg.norm(d)
        nrm = np.array([d[1], -d[0]])
        wl, wr = widths[i]
        left.append(tuple(a + nrm * wl))
        right.append(tuple(a - nrm * wr))
    return left, right


# ---------------------------------------------------------------------------
# SVG writing
# ---------------------------------------------------------------------------

def write_svg(name, viewbox, width, height, title, desc, outlines, details):
    lines = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s" width="%d" height="%d">'
        % (viewbox, width, height),
        "  <title>%s</title>" % title,
        "  <desc>%s</desc>" % desc,
    ]
    for d in outlines:
        lines.append('  <path class="outline" %s d="%s"/>' % (OUTLINE_ATTRS, d))
    for d in details:
        lines.append('  <path class="detail" %s d="%s"/>' % (DETAIL_ATTRS, d))
    lines.append("</svg>")
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


def open_d(nodes):
    return spline_d(nodes, closed=False)


def mirror_d_list(node_lists, cx):
    """Detail polylines for both sides: the given ones plus their mirrors."""
    out = []
    for nodes in node_lists:
        out.append(open_d(nodes))
        out.append(open_d(mirror_nodes(nodes, cx)))
    return out


# ---------------------------------------------------------------------------
# front / back (viewBox 0 0 400 800, one shared outline, symmetric about x=200)
# ---------------------------------------------------------------------------
# Vertical scale: top of head y=20, soles y=770, 100 units = 1 head height.
# Landmark levels (y): chin 120, C7 150, acromion ~160, nipples / T4 220,
# lowest ribs / L2 300, navel 320, iliac crest / L4 345, greater trochanter
# and crotch ~400, fingertips ~480, knee crease 555, ankle (malleoli) ~735.
# Proportional cun used for the placements: trunk, horizontal 10.5 units
# (medial borders of the scapulae 6 cun apart, 3 cun from the midline at
# x=200 +- 31.5); abdomen, xiphisternal junction (y 240) to navel = 8 cun;
# forearm, elbow crease to wrist crease = 12 cun (~8.5 units); lower leg,
# knee crease to lateral malleolus (y 738) = 16 cun (~11.4 units).

CX = 200.0
# patient's right arm (viewer's left on the front view)
SHOULDER = np.array([118.0, 178.0])
ELBOW = np.array([97.0, 302.0])     # elbow crease level y ~300
WRIST = np.array([68.0, 400.0])      # wrist crease level y ~400
FINGERTIP = np.array([50.5, 479.0])  # tip of the middle finger


def _lerp(a, b, t):
    return a + (b - a) * t


def _arm_axis():
    pts = [
        _lerp(SHOULDER, ELBOW, 0.30),
        _lerp(SHOULDER, ELBOW, 0.55),
        _lerp(SHOULDER, ELBOW, 0.80),
        ELBOW,
        _lerp(ELBOW, WRIST, 0.18),
        _lerp(ELBOW, WRIST, 0.42),
        _lerp(ELBOW, WRIST, 0.70),
        WRIST,
    ]
    # (medial, lateral) half widths
    widths = [(17.0, 19.5), (15.8, 17.2), (15.2, 15.8), (15.8, 15.6),
              (16.6, 17.0), (15.0, 15.4), (13.0, 13.4), (12.2, 12.2)]
    medial, lateral = polyline_limb(pts, widths)
    return medial, lateral


def _front_hand_frame():
    return frame(WRIST, FINGERTIP - WRIST)


# fingers of the full-body hand in the hand frame: (centre s, half width, tip t)
# s < 0 is lateral (thumb side), s > 0 medial.
_FB_FINGERS = [(-11.0, 4.3, 75.0), (-2.4, 4.3, 80.0), (6.2, 4.2, 76.0), (13.9, 3.7, 67.0)]


def _front_hand_nodes():
    """Right hand, palm facing the viewer, thumb lateral (viewer's left).

    Runs from the lateral wrist round the fingertips to the medial wrist."""
    loc = [
        (7.0, -15.6),
        (14.0, -19.0),
        (22.0, -21.4),
        (31.0, -23.8),
        (40.0, -25.4),
        (47.0, -25.6),
        (51.0, -23.0),
        (50.0, -19.6),
        (45.0, -17.4),
        (40.0, -16.3),
        (35.0, -15.8, "c"),   # web between thumb and index
        (48.0, -15.5),
        (62.0, -15.2),
    ]
    fingers = _FB_FINGERS
    for k, (sc, w, tip) in enumerate(fingers):
        loc.append((tip - w * 1.2, sc - w))
        loc.append((tip, sc))
        loc.append((tip - w * 1.2, sc + w))
        if k < len(fingers) - 1:
            nxt = fingers[k + 1]
            notch = min(tip, nxt[2]) - 10.0
            loc.append((notch, sc + w + 0.15, "c"))
    loc += [
        (52.0, 18.2),
        (40.0, 18.6),
        (26.0, 18.4),
        (13.0, 15.8),
    ]
    return transform(loc, _front_hand_frame())


def front_half():
    """Outline of the viewer's left half (the patient's right side on the
    front view), from the vertex to the crotch."""
    medial, lateral = _arm_axis()
    head = [
        (200.0, 20.0, "h"),
        (185.0, 22.5),
        (173.5, 29.5),
        (167.2, 41.0),
        (165.0, 55.0),
        (165.4, 64.0),
        (163.2, 68.0, "c"),   # ear
        (161.8, 76.0, "v"),
        (162.6, 85.0),
        (166.0, 92.0, "c"),
        (168.2, 100.0),       # cheek / jaw
        (172.0, 107.5),
        (176.5, 113.0),
        (179.0, 117.5, "c"),  # jaw meets neck
        (178.6, 127.0),
        (176.8, 136.0),
        (170.0, 143.2),       # trapezius
        (156.0, 149.0),
        (138.0, 153.8),
        (120.0, 158.0),
        (108.0, 162.6),
        (100.6, 170.0),
        (96.8, 182.0),
    ]
    hand = _front_hand_nodes()
    trunk_leg = [
        (132.6, 204.0, "c"),   # armpit
        (134.6, 216.0),
        (136.6, 244.0),
        (138.3, 272.0),
        (139.6, 298.0, "v"),   # waist, lowest ribs
        (137.4, 320.0),
        (132.6, 342.0),        # iliac crest
        (126.4, 366.0),
        (122.6, 392.0, "v"),   # greater trochanter
        (123.4, 420.0),
        (127.0, 456.0),
        (133.0, 494.0),
        (139.6, 526.0),
        (144.4, 546.0),        # knee, lateral
        (145.8, 560.0),
        (144.2, 572.0),        # fibular head
        (141.6, 596.0, "v"),   # lateral calf
        (144.4, 636.0),
        (152.6, 684.0),
        (159.6, 714.0),
        (162.4, 727.0),
        (160.2, 740.0, "v"),   # lateral malleolus
        (156.8, 750.0),
        (152.6, 758.0),
        (151.0, 764.5),
        (154.5, 770.0, "hl"),  # sole (toes on the ground)
        (194.5, 770.0, "h"),
        (197.4, 765.5),
        (197.2, 757.0),
        (195.0, 748.0),
        (192.4, 739.0),
        (190.6, 731.0),        # medial malleolus
        (187.8, 720.0),
        (188.2, 700.0),
        (192.0, 660.0),
        (195.0, 614.0, "v"),   # medial calf
        (192.4, 580.0),
        (189.6, 564.0),
        (191.4, 545.0),        # knee, medial
        (190.8, 522.0),        # vastus medialis
        (189.4, 492.0),
        (190.4, 460.0),
        (193.0, 436.0),
        (196.2, 418.0),
        (198.4, 408.0),
        (200.0, 403.0, "h"),   # crotch
    ]
    nodes = head + lateral + hand + medial[::-1] + trunk_leg
    return nodes


def front_back_outline_d():
    return symmetric_outline_d(front_half(), CX)


def _elbow_frame():
    return frame(ELBOW, WRIST - ELBOW)


def _finger_lines():
    """Short lines between the fingers of the full-body hands."""
    f = _front_hand_frame()
    res = []
    fingers = _FB_FINGERS
    for k in range(len(fingers) - 1):
        sc, w, tip = fingers[k]
        notch = min(tip, fingers[k + 1][2]) - 10.0
        s = sc + w + 0.15
        res.append(transform([(notch - 1.5, s), (47.0, s + 0.4 * (s > 0) - 0.4 * (s < 0))], f))
    return res


def front_details():
    half = []
    # collarbones
    half.append([(191.0, 167.0), (177.0, 163.4), (158.0, 162.4), (140.0, 160.4), (129.0, 160.6)])
    # lower border of the chest muscles (no nipples)
    half.append([(191.0, 234.0), (174.0, 235.6), (158.0, 230.4), (146.0, 219.0)])
    # inguinal line
    half.append([(151.0, 356.0), (166.0, 374.0), (186.0, 392.0)])
    # elbow crease, wrist crease
    e = _elbow_frame()
    half.append(transform([(-1.5, 8.5), (1.0, 0.0), (-1.0, -8.5)], e))
    h = _front_hand_frame()
    half.append(transform([(1.0, 9.0), (2.0, 0.0), (1.0, -9.0)], h))
    # thumb crease
    half.append(transform([(10.0, -12.0), (22.0, -14.5), (33.0, -16.5)], h))
    half += _finger_lines()
    # toes
    for x in (186.5, 179.5, 172.5, 165.5):
        half.append([(x, 761.0), (x - 0.3, 768.0)])
    details = mirror_d_list(half, CX)
    # kneecaps (closed ovals)
    cap = [(168.0, 526.6), (174.0, 529.6), (175.8, 538.0), (172.6, 546.6), (168.0, 549.4),
           (163.4, 546.6), (160.2, 538.0), (162.0, 529.6)]
    details.append(spline_d(cap, closed=True))
    details.append(spline_d(mirror_nodes(cap, CX), closed=True))
    # navel
    details.append(spline_d([(200.0, 315.5), (202.0, 318.6), (200.0, 322.0), (198.0, 318.6)], closed=True))
    return details


def back_details():
    half = []
    # shoulder blade: medial border, inferior angle, lateral border
    half.append([(170.0, 184.0), (168.6, 204.0), (168.4, 226.0), (166.0, 246.0, "c"),
                 (152.0, 236.0), (141.0, 223.0), (136.4, 214.0)])
    # spine of the scapula
    half.append([(168.8, 199.0), (150.0, 189.0), (132.0, 180.0), (120.0, 172.0)])
    # gluteal fold
    half.append([(196.5, 413.0), (188.0, 427.0), (172.0, 432.0), (156.0, 428.5), (146.0, 421.0)])
    # knee crease
    half.append([(156.0, 553.5), (168.0, 556.5), (181.0, 553.5)])
    # olecranon hint
    e = _elbow_frame()
    half.append(transform([(-6.0, 7.0), (-9.5, 0.0), (-6.0, -7.0)], e))
    half += _finger_lines()
    # heel
    half.append([(165.0, 747.0), (165.6, 760.0), (175.5, 767.0), (185.5, 760.0), (186.0, 747.0)])
    details = mirror_d_list(half, CX)
    # spine
    details.append(open_d([(200.0, 158.0), (200.0, 260.0), (200.0, 372.0)]))
    # gluteal cleft
    details.append(open_d([(200.0, 372.0), (200.0, 400.0)]))
    return details


def make_front_back():
    outline = front_back_outline_d()
    write_svg("front.svg", "0 0 400 800", 400, 800,
              "Body, front view",
              "Adult standing in anatomical position, seen from the front. "
              "The patient's left is on the viewer's right.",
              [outline], front_details())
    write_svg("back.svg", "0 0 400 800", 400, 800,
              "Body, back view",
              "Adult standing in anatomical position, seen from behind. "
              "The patient's left is on the viewer's left.",
              [outline], back_details())


# ---------------------------------------------------------------------------
# side (viewBox 0 0 400 800): the patient's right side, facing +x
# ---------------------------------------------------------------------------
# Same vertical scale and landmark levels as front/back.

SIDE_BODY = [
    (200.0, 20.0, "h"),    # vertex
    (217.0, 22.6),
    (230.0, 30.0),
    (238.0, 41.0),
    (241.6, 52.0),         # forehead
    (242.8, 61.0),         # brow
    (239.8, 68.0),         # nasion
    (242.4, 76.0),
    (247.0, 83.0),
    (251.2, 89.0, "v"),    # tip of the nose
    (248.6, 93.0),
    (243.0, 95.0, "c"),    # below the nose
    (243.6, 99.0),
    (245.0, 102.2),        # upper lip
    (242.6, 104.4, "c"),
    (244.2, 107.2),        # lower lip
    (240.8, 111.4),
    (243.0, 117.0, "v"),   # chin
    (240.4, 121.6),
    (231.0, 125.0),
    (219.0, 127.6, "c"),   # under the chin
    (215.6, 136.0),
    (215.4, 148.0),
    (218.4, 160.0),
    (223.0, 169.0),        # jugular notch
    (236.0, 182.0),
    (245.0, 200.0),
    (249.0, 220.0, "v"),   # chest
    (247.2, 245.0),
    (242.6, 270.0),
    (240.4, 290.0),
    (241.8, 308.0),
    (243.4, 324.0, "v"),   # belly
    (242.0, 345.0),
    (237.4, 368.0),
    (232.4, 388.0),        # groin
    (233.2, 410.0),
    (235.6, 440.0, "v"),   # front of the thigh
    (233.0, 480.0),
    (227.6, 518.0),
    (224.6, 534.0),
    (225.6, 546.0, "v"),   # kneecap
    (222.4, 560.0),
    (219.8, 572.0),        # tibial tuberosity
    (218.2, 592.0),
    (216.2, 630.0),
    (213.4, 680.0),
    (210.8, 720.0),
    (211.2, 731.0),        # front of the ankle
    (214.4, 737.4),
    (221.0, 741.6),
    (233.0, 746.2),
    (248.0, 751.0),
    (262.0, 755.0),
    (274.0, 758.6),
    (283.0, 761.8),
    (288.6, 764.8),
    (290.6, 767.8, "v"),   # tip of the toes
    (287.0, 770.0, "hl"),  # sole
    (186.0, 770.0, "h"),
    (178.6, 766.2),
    (175.6, 757.0, "v"),   # heel
    (177.6, 745.0),
    (182.6, 730.0),        # Achilles tendon
    (185.2, 712.0),
    (184.2, 690.0),
    (179.0, 660.0),
    (169.4, 632.0),
    (165.2, 604.0, "v"),   # calf
    (167.4, 580.0),
    (175.4, 564.0),
    (177.2, 551.0, "v"),   # back of the knee
    (175.8, 530.0),
    (171.0, 500.0),
    (166.8, 468.0),
    (162.4, 443.0),
    (156.6, 429.0),        # gluteal fold
    (149.6, 413.0),
    (146.6, 394.0, "v"),   # buttock
    (149.0, 372.0),
    (155.6, 350.0),
    (160.8, 325.0, "v"),   # lumbar curve
    (158.6, 298.0),
    (152.8, 266.0),
    (149.2, 236.0, "v"),   # thoracic curve
    (150.6, 205.0),
    (156.6, 180.0),
    (164.6, 162.0),
    (167.6, 151.0),        # C7
    (171.2, 138.0),
    (172.8, 124.0, "v"),   # nape
    (170.4, 110.0),
    (165.6, 100.5),        # occiput
    (159.6, 88.0),
    (156.6, 70.0, "v"),    # back of the head
    (159.4, 50.0),
    (168.4, 34.0),
    (183.0, 24.2),
]

SIDE_ARM = [
    (197.0, 159.4, "h"),   # top of the shoulder (deltoid over the acromion)
    (210.4, 161.6),
    (220.2, 170.0),
    (224.2, 184.0, "v"),   # front of the deltoid
    (222.6, 200.0),
    (218.8, 216.0),
    (217.6, 236.0, "v"),   # biceps
    (216.4, 258.0),
    (213.6, 280.0),
    (210.6, 295.0),        # front of the elbow
    (213.4, 310.0),
    (217.2, 328.0, "v"),   # forearm muscles
    (216.2, 350.0),
    (213.2, 378.0),
    (211.0, 398.0),        # wrist, palm side
    (214.4, 410.0),
    (217.4, 428.0),
    (218.2, 445.0, "v"),
    (216.8, 462.0),
    (213.6, 473.6),
    (208.6, 479.6, "h"),   # fingertips
    (203.2, 476.4),
    (200.4, 466.0),
    (199.0, 450.0),
    (197.6, 430.0),
    (196.6, 412.0),
    (195.8, 400.0),        # wrist, back of the hand side
    (192.8, 380.0),
    (187.4, 352.0),
    (181.6, 326.0),
    (176.2, 307.0),        # olecranon
    (175.6, 296.0),
    (175.2, 276.0),
    (172.8, 250.0),
    (171.8, 228.0, "v"),   # triceps
    (173.0, 204.0),
    (175.8, 186.0),
    (182.6, 170.0),
    (189.0, 163.0),
]


def side_details():
    det = []
    # ear
    det.append(open_d([(196.5, 64.0), (190.0, 62.2), (184.6, 66.6), (183.2, 75.0),
                       (184.8, 84.0), (188.6, 90.6), (193.4, 93.4)]))
    det.append(open_d([(192.6, 70.0), (188.8, 72.8), (188.8, 79.6), (191.6, 83.8)]))
    # eye and nostril hints
    det.append(open_d([(225.6, 69.6), (229.8, 68.0), (233.6, 69.4)]))
    det.append(open_d([(240.0, 90.6), (243.6, 92.6)]))
    # jaw line
    det.append(open_d([(228.0, 122.4), (214.0, 118.0), (203.0, 109.5), (199.0, 100.0)]))
    # top of the shoulder (trapezius)
    det.append(open_d([(174.4, 140.0), (182.0, 150.4), (190.0, 156.4)]))
    # lower border of the deltoid
    det.append(open_d([(175.0, 209.0), (183.0, 230.0), (199.4, 244.0)]))
    det.append(open_d([(220.0, 209.0), (214.0, 230.0), (199.4, 244.0)]))
    # kneecap
    det.append(open_d([(221.4, 530.0), (214.6, 537.0), (214.4, 550.0), (219.8, 558.0)]))
    # gluteal fold
    det.append(open_d([(158.0, 430.5), (168.0, 434.5), (178.0, 434.0)]))
    # lateral malleolus
    det.append(spline_d([(197.0, 734.4), (201.4, 737.4), (202.0, 742.4), (198.6, 746.4),
                         (194.2, 745.4), (192.6, 740.4), (193.6, 736.0)], closed=True))
    # toes
    det.append(open_d([(272.0, 762.0), (275.6, 766.0), (276.0, 769.0)]))
    # elbow crease
    det.append(open_d([(211.0, 297.4), (205.4, 299.4)]))
    # thumb
    det.append(open_d([(212.0, 406.0), (214.6, 424.0), (213.4, 442.0), (209.0, 451.6),
                       (205.0, 448.0), (204.0, 432.0), (204.6, 416.0)]))
    return det


def make_side():
    write_svg("side.svg", "0 0 400 800", 400, 800,
              "Body, side view",
              "Adult standing in anatomical position, seen from the patient's right side; "
              "the patient faces the viewer's right.",
              [spline_d(SIDE_BODY), spline_d(SIDE_ARM)], side_details())


# ---------------------------------------------------------------------------
# hand (viewBox 0 0 600 420): the patient's right hand and distal forearm,
# fingers up.  Left panel: back of the hand (thumb on the viewer's left);
# right panel: palm (the mirror image about x=300, thumb on the right).
# ---------------------------------------------------------------------------
# Scale: 1 cun ~ 31 units (elbow-wrist crease = 12 cun).  Wrist crease at
# y=310, forearm shown down to y=408 (a little over 3 cun).

HAND_DX = 22.0   # the tables below are drawn 22 units left of their final place


def _hand_shift(nodes):
    return transform(nodes, lambda x, y: (x + HAND_DX, y))


# fingers of the back-of-hand panel: knuckle (MCP) position, tilt (degrees,
# + = towards the little-finger side), length knuckle->tip, half widths
HAND_FINGERS = [
    # name,   knuckle,          tilt, length, w_base, w_tip, web y to next
    ("index", (126.0, 180.0), -7.0, 136.0, 14.0, 11.6, 148.0),
    ("middle", (155.0, 174.0), -1.0, 147.0, 14.4, 12.0, 147.0),
    ("ring", (183.0, 180.0), 5.0, 140.0, 13.6, 11.4, 160.0),
    ("little", (208.4, 196.0), 14.0, 108.0, 11.6, 9.8, None),
]


def _finger_geom(knuckle, tilt, length):
    k = np.asarray(knuckle, float)
    a = np.radians(tilt)
    u = np.array([np.sin(a), -np.cos(a)])      # along the finger, to the tip
    n = np.array([-u[1], u[0]])                # points to the viewer's right
    return k, u, n


def _finger_point(knuckle, tilt, length, w0, w1, f, side):
    k, u, n = _finger_geom(knuckle, tilt, length)
    w = w0 + (w1 - w0) * f
    return tuple(k + u * length * f + n * w * side)


def dorsal_hand_nodes():
    nodes = [
        (104.0, 408.0, "cl"),  # forearm cut
        (206.0, 408.0, "c"),
        (205.4, 380.0),
        (204.4, 350.0),
        (204.2, 330.0),
        (206.4, 318.0),        # ulnar styloid
        (206.0, 304.0),
        (210.0, 284.0),        # hypothenar side
        (216.4, 258.0),
        (220.6, 230.0),
        (222.0, 206.0, "v"),   # near the little-finger knuckle
    ]
    fingers = HAND_FINGERS[::-1]   # little finger first (viewer's right)
    for i, (name, kn, tilt, length, w0, w1, _web) in enumerate(fingers):
        k, u, n = _finger_geom(kn, tilt, length)
        tip_f = 1.0 - w1 / length
        fr = [0.30, 0.62, tip_f] if i == 0 else [0.42, 0.66, tip_f]
        # right edge going up
        for f in fr:
            nodes.append(_finger_point(kn, tilt, length, w0, w1, f, +1))
        nodes.append(tuple(k + u * length))       # tip
        for f in fr[::-1]:
            nodes.append(_finger_point(kn, tilt, length, w0, w1, f, -1))
        if i < len(fingers) - 1:
            nxt = fingers[i + 1]
            web_y = nxt[6]
            x_mid = 0.5 * (_finger_point(kn, tilt, length, w0, w1, 0.3, -1)[0]
                           + _finger_point(nxt[1], nxt[2], nxt[3], nxt[4], nxt[5], 0.3, +1)[0])
            nodes.append((x_mid, web_y, "h"))
    # index radial side, web of the thumb, thumb, thenar side of the wrist
    nodes += [
        (111.0, 198.0),
        (106.4, 210.0),
        (99.0, 217.0, "h"),    # deepest point of the thumb web
        (90.4, 215.4),
        (79.0, 202.0),
        (68.6, 183.4),         # thumb, ulnar side
        (60.0, 164.0),
        (54.6, 149.0),
        (44.0, 140.2, "h"),    # tip of the thumb
        (34.0, 149.0),
        (33.4, 160.0, "v"),
        (38.0, 178.0),
        (45.6, 197.0),         # thumb, radial side
        (54.4, 216.0),
        (64.6, 233.0),
        (76.4, 252.0),
        (88.4, 271.0),
        (98.4, 289.0),
        (104.6, 302.0),
        (107.0, 314.0, "v"),   # radial side of the wrist
        (106.6, 340.0),
        (105.4, 370.0),
    ]
    return nodes


def mirror_x(nodes, cx):
    return mirror_nodes(nodes, cx)


def hand_details():
    dorsal, palmar = [], []
    # back of the hand: knuckles, finger joints, nails, tendons, wrist crease
    for name, kn, tilt, length, w0, w1, _ in HAND_FINGERS:
        k, u, n = _finger_geom(kn, tilt, length)
        # knuckle arc
        dorsal.append([tuple(k + n * -7 + u * -1), tuple(k + u * 3), tuple(k + n * 7 + u * -1)])
        for f, ww in ((0.45, 0.45), (0.74, 0.4)):   # PIP, DIP wrinkles
            c = k + u * length * f
            w = (w0 + (w1 - w0) * f) * ww
            dorsal.append([tuple(c - n * w + u * 1.0), tuple(c + u * 2.2), tuple(c + n * w + u * 1.0)])
        # nail
        c = k + u * (length - w1 * 0.9)
        w = w1 * 0.55
        dorsal.append([tuple(c - n * w - u * 9.0), tuple(c - n * w + u * 1.5), tuple(c + u * 4.0),
                       tuple(c + n * w + u * 1.5), tuple(c + n * w - u * 9.0)])
        # tendon
        dorsal.append([(155.0 + (k[0] - 155.0) * 0.35, 296.0), tuple(k + u * -12)])
    # thumb nail and joint
    dorsal.append([(41.0, 168.0), (39.6, 156.0), (44.0, 150.6), (50.4, 154.0), (52.0, 165.0)])
    dorsal.append([(48.6, 190.0), (57.0, 186.0), (65.0, 180.0)])
    dorsal.append([(62.4, 225.0), (70.0, 220.4), (78.0, 214.0)])
    dorsal.append([(120.0, 307.0), (156.0, 311.0), (196.0, 307.0)])   # dorsal wrist crease

    # palm: flexion creases of the fingers, palm creases, wrist creases
    for name, kn, tilt, length, w0, w1, _ in HAND_FINGERS:
        k, u, n = _finger_geom(kn, tilt, length)
        for f in (0.28, 0.55, 0.80):
            c = k + u * length * f
            w = (w0 + (w1 - w0) * f) * 0.7
            palmar.append([tuple(c - n * w), tuple(c + u * 1.2), tuple(c + n * w)])
    palmar.append([(218.0, 224.0), (196.0, 217.0), (172.0, 211.0), (152.0, 202.0), (142.0, 189.0)])  # distal
    palmar.append([(108.0, 219.0), (130.0, 229.0), (160.0, 240.0), (190.0, 253.0)])                # proximal
    palmar.append([(110.0, 223.0), (123.0, 241.0), (132.0, 262.0), (138.0, 284.0), (141.0, 300.0)])  # thenar
    palmar.append([(126.0, 298.0), (156.0, 301.0), (192.0, 296.0)])   # wrist creases
    palmar.append([(118.0, 307.0), (156.0, 311.0), (198.0, 306.0)])
    palmar.append([(62.0, 228.0), (71.0, 222.0), (80.0, 214.0)])     # thumb creases
    palmar.append([(47.6, 188.0), (56.0, 184.0), (64.0, 178.0)])
    res = [open_d(_hand_shift(p)) for p in dorsal]
    res += [open_d(mirror_x(_hand_shift(p), 300.0)) for p in palmar]
    return res


def make_hand():
    d = _hand_shift(dorsal_hand_nodes())
    write_svg("hand.svg", "0 0 600 420", 600, 420,
              "Right hand",
              "The patient's right hand and distal forearm, fingers up. Left: back of the hand "
              "(thumb on the viewer's left). Right: palm (thumb on the viewer's right).",
              [spline_d(d), spline_d(mirror_x(d, 300.0))], hand_details())


# ---------------------------------------------------------------------------
# leg (viewBox 0 0 600 500): the patient's right lower leg and foot.
# Left panel: lateral side, toes to +x; right panel: medial side, toes to -x.
# ---------------------------------------------------------------------------
# Scale: 1 cun = 19 units.  Knee crease y=115, lateral malleolus y=419
# (16 cun lower), sole y=470.

LEG_LATERAL = [
    (58.0, 30.0, "cl"),    # cut above the knee
    (152.0, 30.0, "c"),
    (152.6, 48.0),
    (151.4, 64.0),
    (156.4, 86.0, "v"),    # kneecap
    (154.4, 103.0),
    (149.4, 118.0),        # patellar ligament
    (151.0, 134.0),        # tibial tuberosity
    (150.6, 165.0),
    (148.6, 200.0),
    (144.6, 250.0),
    (141.4, 300.0),
    (138.8, 350.0),
    (137.6, 385.0, "v"),
    (139.4, 401.0),        # front of the ankle
    (143.4, 411.0),
    (152.0, 419.0),
    (165.0, 425.2),
    (182.0, 430.8),
    (200.0, 436.4),
    (218.0, 442.0),
    (234.0, 447.2),
    (246.6, 452.6),
    (254.6, 457.4),
    (258.4, 463.4, "v"),   # toes
    (255.6, 468.6),
    (249.0, 470.0, "hl"),  # sole
    (80.0, 470.0, "h"),
    (66.4, 465.4),
    (60.4, 452.0, "v"),    # heel
    (62.6, 437.0),
    (70.0, 419.0),
    (77.4, 400.0),         # Achilles tendon
    (79.2, 378.0, "v"),
    (75.8, 340.0),
    (68.0, 295.0),
    (56.4, 250.0),
    (47.6, 212.0),
    (45.8, 190.0, "v"),    # calf
    (49.4, 162.0),
    (57.6, 138.0),
    (62.8, 118.0, "v"),    # back of the knee
    (61.0, 95.0),
    (58.0, 70.0),
    (57.0, 48.0, "v"),
]


def leg_medial_nodes():
    m = mirror_x(LEG_LATERAL, 300.0)
    # replace the flat sole by the raised medial arch
    out = []
    for x, y, f in m:
        if y == 470.0 and abs(x - (600.0 - 249.0)) < 0.01:
            out += [(x, y, "h"), (386.0, 470.0, "h"), (408.0, 464.6), (432.0, 461.0, "h"),
                    (458.0, 465.0), (480.0, 470.0, "hl")]
        else:
            out.append((x, y, f))
    return out


def leg_details():
    lat, med = [], []
    # kneecap (its back edge), fibular head, lateral malleolus, little toe
    lat.append([(149.6, 67.0), (142.4, 73.0), (139.6, 86.0), (142.6, 99.0), (149.4, 104.6)])
    lat.append([(76.0, 137.0), (77.0, 129.0), (83.0, 124.2), (89.6, 125.6), (93.0, 131.0)])

    lat.append([(234.0, 456.0), (239.0, 462.6), (239.6, 468.6)])
    # medial side (drawn in lateral coordinates, mirrored below):
    # kneecap, medial malleolus (higher, further forward), big toe nail, arch line
    med.append([(149.6, 67.0), (142.4, 73.0), (139.6, 86.0), (142.6, 99.0), (149.4, 104.6)])

    med.append([(241.0, 453.4), (249.0, 456.0), (253.0, 460.6)])     # big toe nail
    med.append([(230.0, 451.0), (233.0, 459.0), (232.0, 468.0)])     # big toe joint
    med.append([(114.0, 458.0), (150.0, 450.0), (188.0, 452.0), (212.0, 460.0)])  # arch
    res = [open_d(p) for p in lat]
    res += [open_d(mirror_x(p, 300.0)) for p in med]
    # lateral malleolus (lower, further back) and medial malleolus (higher,
    # further forward), as closed ovals
    lat_mall = [(104.0, 405.4), (110.4, 410.0), (112.0, 418.6), (109.6, 427.4), (104.0, 431.6),
                (98.4, 427.4), (96.4, 418.6), (98.0, 410.0)]
    med_mall = [(110.0, 395.4), (116.0, 399.6), (117.6, 407.4), (115.4, 415.6), (110.0, 419.4),
                (104.6, 415.6), (102.6, 407.4), (104.2, 399.6)]
    res.append(spline_d(lat_mall, closed=True))
    res.append(spline_d(mirror_x(med_mall, 300.0), closed=True))
    return res


def make_leg():
    write_svg("leg.svg", "0 0 600 500", 600, 500,
              "Right lower leg",
              "The patient's right lower leg and foot. Left: outer (lateral) side, toes to the "
              "viewer's right. Right: inner (medial) side, toes to the viewer's left.",
              [spline_d(LEG_LATERAL), spline_d(leg_medial_nodes())], leg_details())


# ---------------------------------------------------------------------------
# head (viewBox 0 0 400 480): head and neck from the front, symmetric about
# x=200.  The patient's right is on the viewer's left.
# ---------------------------------------------------------------------------
# The scalp is drawn as if seen a little from above, so that the front
# hairline and the vertex both face the viewer.  Scale: 1 cun = 19 units on
# the face and the scalp (eyebrows to front hairline 3 cun, front hairline to
# the vertex 5 cun, the pupils 2.25 cun and the corners of the forehead
# hairline 4.5 cun from the midline).  Levels (y): top of the outline 24,
# vertex 36, front hairline 131, glabella 188, pupils 205.5, tip of the nose
# ~240, base of the nose 250, mouth 276, chin 321.5, laryngeal prominence
# 365, jugular notch 445, lower edge (cut below the collarbones) 462.

HEAD_HALF = [
    (200.0, 24.0, "h"),    # top of the head (just behind the vertex)
    (178.0, 25.6),
    (156.0, 31.0),
    (137.0, 41.4),
    (121.4, 56.0),
    (110.0, 75.0),
    (103.2, 98.0),
    (100.4, 124.0, "v"),   # widest part of the skull
    (101.0, 148.0),
    (103.0, 168.0),        # temple
    (104.2, 185.0, "c"),   # top of the ear
    (98.4, 184.6),
    (93.4, 190.0),
    (91.4, 202.0, "v"),    # helix
    (92.4, 217.0),
    (95.4, 232.0),
    (99.0, 244.0),
    (103.0, 251.0),        # ear lobe
    (107.4, 252.6, "c"),
    (109.0, 262.0),        # cheek over the ramus of the jaw
    (112.4, 273.0),
    (118.0, 283.6),        # angle of the jaw
    (125.6, 292.0),
    (132.4, 299.0, "c"),   # the neck appears below the jaw
    (134.2, 315.0),
    (134.8, 340.0, "v"),   # side of the neck
    (134.0, 364.0),
    (131.4, 384.0),
    (122.6, 399.0),        # root of the neck, trapezius
    (105.0, 410.6),
    (83.0, 420.4),
    (63.0, 430.0),
    (49.0, 440.4),
    (42.6, 451.0),
    (41.0, 462.0, "cl"),   # cut below the collarbones
    (200.0, 462.0, "h"),
]


def sym_open_d(half, cx=CX):
    """Open detail curve symmetric about x = cx; `half` runs from its
    viewer's-left end to a node on the axis."""
    full = list(half) + mirror_nodes(list(half[:-1])[::-1], cx)
    return open_d(full)


def head_details():
    half = []
    # hairline: sideburn in front of the ear, temple, corner of the forehead,
    # front hairline to the midline
    half.append([(111.0, 214.0), (109.6, 194.0), (108.6, 172.0), (109.0, 150.0),
                 (111.0, 131.0), (114.5, 118.0, "c"), (127.0, 125.4), (146.0, 129.4),
                 (172.0, 130.8), (200.0, 131.0)])
    # eyebrows
    half.append([(185.8, 190.4), (176.0, 185.6), (165.0, 182.4), (153.0, 182.0),
                 (141.0, 184.0), (130.0, 188.6)])
    # upper eyelid crease
    half.append([(176.0, 201.0), (166.0, 196.0), (152.0, 195.2), (140.0, 198.6)])
    # side of the nose and the ala
    half.append([(189.0, 197.0), (187.6, 212.0), (185.8, 226.0), (182.0, 232.4),
                 (179.6, 239.0), (181.6, 245.0), (186.6, 248.0)])
    # nasolabial fold
    half.append([(174.0, 238.0), (168.6, 252.0), (166.0, 266.0)])
    # ear: inner rim of the helix
    half.append([(100.4, 192.0), (97.0, 198.0), (96.6, 212.0), (98.6, 228.0), (102.6, 240.0)])
    # front border of the sternocleidomastoid
    half.append([(151.0, 318.0), (162.0, 342.0), (171.5, 365.0), (176.6, 398.0),
                 (183.4, 425.0), (190.4, 440.0)])
    # front border of the trapezius
    half.append([(136.0, 392.0), (118.0, 412.0), (98.0, 430.0)])
    # collarbone (upper border)
    half.append([(192.0, 446.0), (182.0, 441.0), (166.0, 438.6), (146.0, 437.6),
                 (120.0, 435.0), (96.0, 433.4), (70.0, 436.0)])
    details = mirror_d_list(half, CX)
    # eyes (closed almonds) and irises
    eye = [(179.0, 207.0), (172.0, 201.8), (161.0, 199.4), (148.0, 200.4), (136.0, 204.6, "c"),
           (147.0, 209.6), (160.0, 211.6), (172.0, 210.4)]
    iris = [(157.2, 199.8), (162.4, 202.2), (163.0, 207.0), (157.2, 211.2), (151.4, 207.0),
            (152.0, 202.2)]
    for nodes in (eye, iris):
        details.append(spline_d(nodes, closed=True))
        details.append(spline_d(mirror_nodes(nodes, CX), closed=True))
    # lower border of the nose (nostrils and tip)
    details.append(sym_open_d([(187.0, 248.0), (192.4, 247.6), (197.0, 250.0), (200.0, 250.4)]))
    details.append(sym_open_d([(192.0, 242.0), (196.0, 240.8), (200.0, 240.6)]))
    # lips: upper border, mouth line, lower border
    details.append(sym_open_d([(173.0, 275.6, "c"), (180.6, 271.6), (189.6, 267.4),
                               (195.6, 266.2), (200.0, 267.6)]))
    details.append(sym_open_d([(173.0, 275.6), (182.0, 275.0), (192.0, 276.0), (200.0, 276.4)]))
    details.append(sym_open_d([(175.6, 277.6), (182.6, 282.4), (191.0, 285.2), (200.0, 285.8)]))
    # chin: mentolabial groove and lower border of the jaw
    details.append(sym_open_d([(191.0, 293.0), (195.6, 292.0), (200.0, 291.8)]))
    details.append(sym_open_d([(134.6, 302.4), (145.0, 309.0), (164.0, 316.8),
                               (182.0, 320.6), (200.0, 321.6)]))
    # laryngeal prominence and jugular notch
    details.append(sym_open_d([(194.6, 360.0), (197.6, 364.6), (200.0, 366.0)]))
    details.append(sym_open_d([(190.4, 440.0), (195.6, 444.4), (200.0, 445.4)]))
    return details


def make_head():
    write_svg("head.svg", "0 0 400 480", 400, 480,
              "Head, front view",
              "The head and neck seen from the front, the scalp seen a little from above. "
              "The patient's left is on the viewer's right.",
              [symmetric_outline_d(HEAD_HALF, CX)], head_details())


# ---------------------------------------------------------------------------
# head-side (viewBox 0 0 480 480): head and neck from the patient's right
# side, the face to the viewer's right (+x).
# ---------------------------------------------------------------------------
# About 13 units per cm.  Levels (y): top of the head 26, front hairline
# 97, glabella 158, apex of the ear 157, outer canthus 187, external
# occipital protuberance 200, tragus ~205, base of the nose 240, posterior
# hairline 247, mouth 262, angle of the jaw ~300, menton 324, C7 351,
# laryngeal prominence 372, jugular notch 446.  The neck is cut obliquely
# along its root, from just below C7 to below the jugular notch.

HEAD_SIDE = [
    (236.0, 26.0, "h"),    # vertex
    (266.0, 29.0),
    (293.0, 38.6),
    (317.0, 54.0),
    (336.0, 74.0),
    (350.0, 97.0),         # front hairline
    (360.0, 121.0),
    (366.0, 142.0),
    (369.5, 158.0, "v"),   # glabella
    (368.0, 166.0),
    (364.6, 172.0),        # nasion
    (368.0, 183.0),
    (374.4, 196.0),
    (381.6, 209.0),
    (387.6, 220.0),
    (391.6, 229.0, "v"),   # tip of the nose
    (390.0, 235.0),
    (384.4, 238.8),
    (377.0, 239.8, "c"),   # base of the nose
    (377.6, 246.0),
    (380.6, 253.0, "v"),   # upper lip
    (379.2, 259.0),
    (375.6, 261.8, "c"),   # mouth
    (378.6, 266.0),
    (378.4, 272.0),        # lower lip
    (372.6, 280.0),        # mentolabial groove
    (374.8, 291.0),
    (376.4, 299.0, "v"),   # chin
    (373.0, 310.0),
    (364.0, 319.0),
    (350.0, 324.0, "h"),   # menton
    (333.0, 327.0),
    (318.0, 331.0),
    (309.0, 337.0, "c"),   # angle between chin and neck (hyoid)
    (310.6, 350.0),
    (314.0, 362.0),
    (317.4, 372.0, "v"),   # laryngeal prominence
    (315.6, 384.0),
    (315.0, 400.0),
    (317.4, 418.0),
    (322.4, 434.0),
    (328.0, 446.0),        # jugular notch
    (336.0, 457.0),
    (342.0, 466.0, "cl"),  # oblique cut along the root of the neck
    (154.0, 368.0, "c"),
    (158.6, 360.0),
    (163.4, 351.0),        # C7
    (168.4, 334.0),
    (172.2, 312.0),
    (173.0, 292.0, "v"),   # nape
    (171.0, 275.0),
    (166.4, 260.0),
    (158.6, 247.0),        # posterior hairline
    (148.6, 232.0),
    (139.0, 216.0),
    (131.4, 200.0),        # external occipital protuberance
    (126.2, 176.0),
    (124.6, 150.0, "v"),   # back of the head
    (127.6, 122.0),
    (135.4, 94.0),
    (149.0, 68.0),
    (170.0, 46.0),
    (200.0, 31.0),
]


def head_side_details():
    det = []
    # ear: helix and lobe, tragus, antitragus, concha, antihelix, crus of the helix
    det.append(open_d([(232.0, 184.0), (228.6, 169.0), (220.0, 160.0), (207.0, 157.0),
                       (194.0, 162.0), (185.6, 175.0), (182.4, 193.0), (184.0, 211.0),
                       (189.0, 227.0), (196.0, 239.0), (204.0, 246.6), (212.4, 247.0),
                       (217.6, 240.0), (219.0, 231.0)]))
    det.append(open_d([(226.0, 196.0), (230.4, 202.0), (230.6, 210.0), (226.4, 216.0)]))
    det.append(open_d([(221.0, 228.0), (215.0, 223.4), (208.4, 224.6)]))
    det.append(open_d([(225.0, 186.0), (216.0, 187.0), (210.0, 195.0), (209.6, 207.0),
                       (214.0, 217.0), (221.0, 221.0)]))
    det.append(open_d([(222.0, 171.0), (210.0, 166.6), (198.0, 172.0), (191.6, 186.0),
                       (191.6, 204.0), (196.6, 219.0), (204.6, 228.0)]))
    det.append(open_d([(228.0, 181.0), (221.0, 180.0), (215.0, 183.6)]))
    # hairline: front, corner of the forehead, temple, sideburn, round the
    # ear, behind the ear down to the nape
    det.append(open_d([(348.4, 97.1), (331.0, 97.8), (308.0, 99.2), (285.0, 101.0, "c"),
                       (280.6, 118.0), (276.6, 140.0), (273.6, 160.0), (271.6, 184.0),
                       (270.4, 208.0, "c"), (258.0, 198.0), (249.6, 182.0), (244.0, 164.0),
                       (236.0, 150.0), (222.0, 143.4), (206.0, 143.0), (191.0, 148.6),
                       (179.0, 161.0), (172.0, 180.0), (170.0, 202.0), (169.0, 222.0),
                       (165.0, 238.0), (159.6, 246.0)]))
    # eyebrow, eye, iris
    det.append(open_d([(338.0, 173.0), (347.0, 166.6), (357.0, 163.6), (365.0, 165.0)]))
    det.append(open_d([(344.6, 187.0), (351.0, 181.0), (358.0, 178.6), (362.6, 181.6),
                       (364.0, 187.4), (358.0, 191.4), (351.0, 191.0), (344.6, 187.0)]))
    det.append(open_d([(359.6, 180.0), (356.6, 185.0), (359.0, 190.6)]))
    # ala of the nose, nasolabial fold, corner of the mouth
    det.append(open_d([(378.4, 221.0), (370.6, 222.0), (366.4, 228.6), (367.8, 235.4),
                       (374.0, 238.8)]))
    det.append(open_d([(365.0, 233.0), (359.0, 248.0), (355.0, 265.0)]))
    det.append(open_d([(374.0, 262.0), (366.0, 262.8), (358.0, 263.6)]))
    # jaw: ramus, angle and lower border; zygomatic arch
    det.append(open_d([(239.0, 224.0), (238.0, 250.0), (236.6, 276.0), (237.0, 292.0),
                       (243.0, 302.0), (266.0, 310.6), (300.0, 318.0), (336.0, 323.4)]))
    det.append(open_d([(240.0, 191.0), (270.0, 191.6), (302.0, 195.0), (328.0, 205.0)]))
    # sternocleidomastoid (front and back borders)
    det.append(open_d([(204.0, 257.0), (226.0, 298.0), (256.0, 348.0), (290.0, 400.0), (316.0, 444.0)]))
    det.append(open_d([(186.0, 262.0), (200.0, 304.0), (222.0, 348.0), (248.0, 392.0), (268.0, 421.0)]))
    # front border of the trapezius
    det.append(open_d([(169.0, 262.0), (176.0, 300.0), (183.0, 340.0), (188.0, 372.0)]))
    return det


def make_head_side():
    write_svg("head-side.svg", "0 0 480 480", 480, 480,
              "Head, side view",
              "The head and neck seen from the patient's right side; the face is to the "
              "viewer's right.",
              [spline_d(HEAD_SIDE)], head_side_details())


# ---------------------------------------------------------------------------
# foot (viewBox 0 0 600 500): the patient's right foot, toes up.
# Left panel: the dorsum, big toe on the viewer's left, the ankle and the
# front of the lower leg at the bottom.  Right panel: the sole, big toe on
# the viewer's right, heel at the bottom (drawn in dorsum coordinates and
# mirrored about x=300, like the palm of the hand view).
# ---------------------------------------------------------------------------
# About 17.5 units per cm; 1 cun ~ 40 units (prominence of the medial
# malleolus to the sole = 3 cun, about 7 cm).  Dorsum: toe tips y ~26-78,
# webs y ~90-130, heads of the metatarsals ~150-190, ankle crease y ~347,
# malleoli ~376-382 (the lateral one a little nearer the toes), leg cut at
# 470.  Sole: heel at y ~477.

# toes, big toe first: base centre (at web level), tilt (degrees, + = towards
# the little-toe side), length base->tip, half widths at base and tip
FOOT_TOES = [
    # base,           tilt, length, w_base, w_tip
    ((92.0, 100.0), -2.0, 66.0, 22.4, 20.6),
    ((131.0, 93.0), 2.0, 55.0, 13.6, 12.6),
    ((158.6, 101.0), 7.0, 48.0, 13.0, 12.0),
    ((183.0, 115.0), 13.0, 42.0, 12.4, 11.4),
    ((203.6, 134.0), 21.0, 36.0, 11.4, 10.6),
]


def _toe_geom(base, tilt):
    return _finger_geom(base, tilt, 1.0)[:3]


def _toe_point(toe, f, side):
    base, tilt, length, w0, w1 = toe
    k, u, n = _toe_geom(base, tilt)
    w = w0 + (w1 - w0) * f
    return tuple(k + u * length * f + n * w * side)


def _toe_cap(toe, side_first):
    """Rounded tip of a toe: three nodes from one side over the tip."""
    base, tilt, length, w0, w1 = toe
    k, u, n = _toe_geom(base, tilt)
    centre = k + u * (length - w1)
    res = []
    for a in (55.0, 0.0, -55.0):
        r = np.radians(a) * side_first
        res.append(tuple(centre + u * w1 * np.cos(r) + n * w1 * np.sin(r)))
    return res


def _toe_nodes():
    """From the outer side of the little toe round every toe to the inner
    side of the big toe (viewer's right to left on the dorsum)."""
    nodes = []
    toes = FOOT_TOES[::-1]
    for i, toe in enumerate(toes):
        base, tilt, length, w0, w1 = toe
        tip_f = 1.0 - w1 / length
        fr = [0.12, 0.55 * tip_f, tip_f] if i in (0, len(toes) - 1) else [0.3, tip_f]
        for f in fr:
            nodes.append(_toe_point(toe, f, +1))
        nodes += _toe_cap(toe, +1)
        for f in fr[::-1]:
            nodes.append(_toe_point(toe, f, -1))
        if i < len(toes) - 1:
            nxt = toes[i + 1]
            a = _toe_point(toe, 0.0, -1)
            b = _toe_point(nxt, 0.0, +1)
            nodes.append(((a[0] + b[0]) / 2.0, max(a[1], b[1]) - 3.0, "c"))
    return nodes


def foot_dorsum_nodes():
    return [
        (100.0, 470.0, "cl"),  # cut across the lower leg
        (196.0, 470.0, "c"),
        (195.4, 445.0),
        (197.6, 418.0),
        (207.6, 376.0, "v"),   # lateral malleolus
        (204.4, 356.0),
        (203.4, 334.0),
        (206.6, 306.0),
        (211.4, 278.0),        # tuberosity of the 5th metatarsal
        (217.4, 240.0),
        (224.4, 192.0, "v"),   # head of the 5th metatarsal
        (222.0, 164.0),
    ] + _toe_nodes() + [
        (66.0, 124.0),
        (62.0, 148.0, "v"),    # head of the 1st metatarsal
        (64.4, 180.0),
        (70.6, 220.0),
        (78.0, 258.0),
        (85.0, 292.0),
        (89.6, 322.0),
        (90.4, 350.0),
        (86.0, 380.0, "v"),    # medial malleolus
        (89.6, 404.0),
        (96.0, 436.0),
    ]


def foot_sole_nodes():
    """The sole, drawn like the dorsum (big toe on the left) before it is
    mirrored: same toes and forefoot, then the heel instead of the ankle."""
    return [
        (148.0, 477.0, "h"),   # back of the heel
        (173.0, 469.0),
        (188.6, 448.0),
        (195.0, 418.0),        # heel, outer side
        (198.0, 386.0),
        (201.4, 350.0),
        (206.6, 310.0),
        (212.6, 270.0),
        (219.0, 230.0),
        (224.4, 192.0, "v"),
        (222.0, 164.0),
    ] + _toe_nodes() + [
        (66.0, 124.0),
        (62.0, 148.0, "v"),
        (65.0, 180.0),
        (74.0, 222.0),
        (85.0, 262.0),         # inner arch
        (93.0, 304.0),
        (97.6, 344.0),
        (99.4, 384.0),
        (100.6, 418.0),        # heel, inner side
        (106.4, 448.0),
        (122.0, 469.0),
    ]


def foot_details():
    dorsum, sole = [], []
    for i, toe in enumerate(FOOT_TOES):
        base, tilt, length, w0, w1 = toe
        k, u, n = _toe_geom(base, tilt)
        # toenail
        c = k + u * (length - w1 * 0.75)
        w = w1 * 0.6
        dorsum.append([tuple(c - n * w - u * (w1 * 0.95)), tuple(c - n * w + u * 1.6), tuple(c + u * 4.2),
                       tuple(c + n * w + u * 1.6), tuple(c + n * w - u * (w1 * 0.95))])
        # joint wrinkle
        f = 0.36 if i == 0 else 0.26
        c = k + u * length * f
        w = (w0 + (w1 - w0) * f) * 0.45
        dorsum.append([tuple(c - n * w), tuple(c + u * 1.6), tuple(c + n * w)])
        # sole: crease at the root of the toe and pad crease
        c = k + u * 4.0
        w = w0 * 0.75
        sole.append([tuple(c - n * w), tuple(c - u * 1.6), tuple(c + n * w)])
        if i == 0:
            c = k + u * length * 0.45
            w = (w0 + (w1 - w0) * 0.45) * 0.7
            sole.append([tuple(c - n * w), tuple(c - u * 1.4), tuple(c + n * w)])
    # dorsum: tendons of tibialis anterior and of the long extensor of the
    # big toe, ankle crease
    dorsum.append([(124.0, 444.0), (118.0, 384.0), (108.0, 332.0), (96.0, 284.0)])
    dorsum.append([(140.0, 444.0), (136.4, 384.0), (126.0, 312.0), (106.0, 226.0), (92.0, 160.0)])
    dorsum.append([(93.0, 343.0), (122.0, 348.4), (150.0, 349.4), (176.0, 347.0), (203.0, 340.0)])
    # sole: ball of the foot, outer edge of the arch, heel pad
    sole.append([(78.0, 176.0), (110.0, 184.0), (150.0, 190.0), (186.0, 200.0), (214.0, 214.0)])
    sole.append([(92.0, 206.0), (110.0, 250.0), (121.0, 300.0), (119.0, 350.0), (111.0, 392.0)])
    sole.append([(110.0, 404.0), (128.0, 392.0), (150.0, 389.0), (172.0, 393.0), (188.0, 404.0)])
    res = [open_d(p) for p in dorsum]
    res += [open_d(mirror_x(p, 300.0)) for p in sole]
    # malleoli: lateral (reaching a little nearer the toes) and medial
    lat = [(198.0, 361.0), (203.4, 367.4), (204.0, 376.0), (200.6, 385.0), (194.6, 387.0),
           (190.6, 379.0), (191.6, 368.6)]
    med = [(96.4, 367.0), (102.6, 370.6), (105.6, 379.0), (104.4, 389.0), (98.6, 394.6),
           (93.4, 388.0), (92.0, 377.0)]
    res.append(spline_d(lat, closed=True))
    res.append(spline_d(med, closed=True))
    return res


def make_foot():
    write_svg("foot.svg", "0 0 600 500", 600, 500,
              "Right foot",
              "The patient's right foot, toes up. Left: the top (dorsum) with the ankle and the "
              "front of the lower leg below it, big toe on the viewer's left. Right: the sole, "
              "heel at the bottom, big toe on the viewer's right.",
              [spline_d(foot_dorsum_nodes()), spline_d(mirror_x(foot_sole_nodes(), 300.0))],
              foot_details())


def main():
    make_front_back()
    make_side()
    make_hand()
    make_leg()
    make_head()
    make_head_side()
    make_foot()


if __name__ == "__main__":
    main()
