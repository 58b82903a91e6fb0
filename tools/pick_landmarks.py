"""Find bodymap's landmarks on the body: data/body_landmarks.csv.

Run by hand after tools/make_body.py, from the repository root:

    python tools/pick_landmarks.py

Each landmark is found on the skin by a rule written below, from the rig's
joints (stored with the body), the shape of the skin (its midline section,
rays cast from outside) and the body's proportional measures. A rule ends in
a point on the skin, written as the three hm08 vertices of its triangle and
the point's weights on them, so the table is read without this script or the
rig. Levels that anatomy fixes but the skin does not show (spinous processes,
the scapula, intercostal spaces) are spaced by the proportions beside each
rule; they are illustrative, like every position in bodymap.

Cun (cm per cun) follow WHO 2008's proportional measures taken on this body:
head: glabella to the anterior hairline 3 cun, anterior to posterior hairline
12 cun, posterior hairline to C7 3 cun (18 cun over the head); chest and
abdomen: suprasternal notch to the xiphisternal junction 9 cun, on to the
navel 8 cun, navel to the pubic symphysis 5 cun, and across the chest 8 cun
between the nipples; upper arm: anterior axillary fold to the elbow crease
9 cun; forearm and hand: elbow to wrist crease 12 cun; thigh: greater
trochanter to the knee crease 19 cun; leg and foot: knee crease to the
lateral malleolus 16 cun; back: the chest's cun across.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bodymap.body import load_body  # noqa: E402
from bodymap.resources import default_body_file  # noqa: E402

OUT = ROOT / "data" / "body_landmarks.csv"
FAR = 500.0
X, Y, Z = np.eye(3)
# Height of C7's spinous process as a fraction of stature (adult anthropometry: cervicale height).
C7_HEIGHT = 0.846


def unit(v):
    v = np.asarray(v, float)
    return v / np.linalg.norm(v)


class Skin:
    def __init__(self):
        import trimesh

        self.body = load_body(default_body_file())
        self.vertices = self.body.vertices
        self.mesh = trimesh.Trimesh(self.body.vertices, self.body.faces, process=False)
        self.J = {name: np.asarray(j, float) for name, j in self.body.joints.items()}
        self.found: dict[str, tuple] = {}
        section = self.mesh.section(plane_origin=[-1e-3, 0, 0], plane_normal=[1.0, 0, 0])
        loop = max(section.discrete, key=len)
        self.loop = np.asarray(loop, float)
        self.height = float(self.vertices[:, 1].max())

    # --- meeting the skin -----------------------------------------------------------------------
    def ray(self, origin, direction):
        """The first point where a ray meets the skin: (xyz, triangle)."""
        origin = np.asarray(origin, float)
        direction = unit(direction)
        locations, _, triangles = self.mesh.ray.intersects_location([origin], [direction], multiple_hits=True)
        if not len(locations):
            raise ValueError(f"no skin along {origin} -> {direction}")
        k = int(np.argmin((locations - origin) @ direction))
        return locations[k], int(triangles[k])

    def toward(self, point, direction, back_off=25.0):
        """Cast toward ``point`` along ``direction`` from ``back_off`` cm before it."""
        return self.ray(np.asarray(point, float) - back_off * unit(direction), direction)

    def front(self, x, y):
        return self.ray((x, y, FAR), -Z)

    def back(self, x, y):
        return self.ray((x, y, -FAR), Z)

    def right_side(self, y, z):
        """From the patient's right (-x), looking toward +x."""
        return self.ray((-FAR, y, z), X)

    def nearest(self, point):
        closest, _, triangle = self.mesh.nearest.on_surface([np.asarray(point, float)])
        return closest[0], int(triangle[0])

    # --- the midline loop -------------------------------------------------------------------------
    def loop_index(self, point) -> int:
        return int(np.argmin(np.linalg.norm(self.loop - point, axis=1)))

    def walk(self, start, distance, toward):
        """The point ``distance`` cm along the midline loop from ``start``, setting off toward ``toward``."""
        n = len(self.loop)
        i = self.loop_index(start)
        step = 1 if np.linalg.norm(self.loop[(i + 5) % n] - toward) < np.linalg.norm(self.loop[(i - 5) % n] - toward) else -1
        point, left = self.loop[i], distance
        while True:
            nxt = self.loop[(i + step) % n]
            length = np.linalg.norm(nxt - point)
            if length >= left:
                return point + (nxt - point) * (left / max(length, 1e-9))
            left -= length
            point, i = nxt, (i + step) % n

    def arc(self, a, b, via):
        """Length of the midline loop from ``a`` to ``b`` on the side that passes ``via``."""
        n = len(self.loop)
        i, j, k = self.loop_index(a), self.loop_index(b), self.loop_index(via)
        forward = [(i + t) % n for t in range((j - i) % n + 1)]
        path = forward if k in forward else [(i - t) % n for t in range((i - j) % n + 1)]
        points = self.loop[path]
        return float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum())

    def face_profile(self, low, high, step=0.05):
        """The front midline sampled finely by rays from the front: (N, 3) points by height."""
        points = []
        for y in np.arange(low, high, step):
            try:
                points.append(self.front(0.0, y)[0])
            except ValueError:
                continue
        return np.array(points)

    def front_profile(self, low, high):
        part = self.loop[(self.loop[:, 1] >= low) & (self.loop[:, 1] <= high) & (self.loop[:, 2] > self.z_split(low, high))]
        return part[np.argsort(part[:, 1])]

    def back_profile(self, low, high):
        part = self.loop[(self.loop[:, 1] >= low) & (self.loop[:, 1] <= high) & (self.loop[:, 2] < self.z_split(low, high))]
        return part[np.argsort(part[:, 1])]

    def z_split(self, low, high):
        part = self.loop[(self.loop[:, 1] >= low) & (self.loop[:, 1] <= high)]
        return float((part[:, 2].max() + part[:, 2].min()) / 2)

    def back_at(self, y):
        """The back midline at height ``y``."""
        part = self.back_profile(y - 4, y + 4)
        return np.array([0.0, y, np.interp(y, part[:, 1], part[:, 2])])

    def front_at(self, y):
        """The front midline at height ``y``."""
        part = self.front_profile(y - 4, y + 4)
        return np.array([0.0, y, np.interp(y, part[:, 1], part[:, 2])])

    # --- recording --------------------------------------------------------------------------------
    def put(self, name, spot, cun, description):
        import trimesh

        location, triangle = spot if isinstance(spot, tuple) else self.nearest(spot)
        corners = self.body.faces[triangle]
        weights = trimesh.triangles.points_to_barycentric(self.vertices[corners][None], np.asarray(location)[None])[0]
        weights = np.clip(weights, 0, None)
        weights /= weights.sum()
        self.found[name] = (corners, weights, cun, description)
        return self.at(name)

    def at(self, name) -> np.ndarray:
        corners, weights, _, _ = self.found[name]
        return (self.vertices[corners] * weights[:, None]).sum(axis=0)

    def rows(self):
        for name, (corners, weights, cun, description) in self.found.items():
            yield {
                "landmark": name,
                "vertices": " ".join(str(int(self.body.source_vertex[c])) for c in corners),
                "weights": " ".join(f"{w:.4f}" for w in weights),
                "cun": f"{cun:.3f}",
                "description": description,
            }


def next_turn(profile, start, kind):
    """Going down a height-sorted profile from ``start``, the next local minimum (or maximum) of z."""
    below = profile[profile[:, 1] < start[1]][::-1]
    sign = 1 if kind == "min" else -1
    for a, b in zip(below, below[1:]):
        if sign * (b[2] - a[2]) > 1e-4:
            return a
    return below[-1]


def extreme(points, kind):
    return points[np.argmax(points[:, 2])] if kind == "max" else points[np.argmin(points[:, 2])]


def band(profile, low, high):
    return profile[(profile[:, 1] >= low) & (profile[:, 1] <= high)]


def gap_top(skin, view, x_range, y_from, y_to):
    """The top of the gap between arm and trunk as a view sees it: (x, y) of the highest miss."""
    direction = -Z if view == "front" else Z
    best = None
    for x in np.arange(*x_range, 0.2):
        for y in np.arange(y_from, y_to, -0.2):
            origin = (x, y, FAR if view == "front" else -FAR)
            hits, _, _ = skin.mesh.ray.intersects_location([origin], [direction])
            if not len(hits):
                if best is None or y > best[1]:
                    best = (x, y)
                break
    return best


def main() -> None:
    skin = Skin()
    J = skin.J
    H = skin.height
    put = skin.put

    # ---- the midline: face and neck ------------------------------------------------------------
    face = skin.face_profile(0.84 * H, 0.97 * H)
    nose_tip = extreme(band(face, 150, 160), "max")
    # Features below the nose lie on the face's own profile, not under the jaw.
    face = face[face[:, 2] > nose_tip[2] - 4.5]
    nasion = extreme(band(face, nose_tip[1] + 1.0, nose_tip[1] + 5.0), "min")
    glabella = extreme(band(face, nasion[1], nasion[1] + 2.5), "max")
    # Down the profile from the nose tip, the turns alternate: subnasale, upper lip, stomion,
    # lower lip, mentolabial groove, chin.
    subnasale = next_turn(face, nose_tip, "min")
    upper_lip = next_turn(face, subnasale, "max")
    stomion = next_turn(face, upper_lip, "min")
    lower_lip = next_turn(face, stomion, "max")
    groove = next_turn(face, lower_lip, "min")
    chin = next_turn(face, groove, "max")
    neck = skin.front_profile(128, chin[1] - 3)
    larynx = extreme(band(neck, 138, chin[1] - 4), "max")
    notch = extreme(band(neck, 128, larynx[1] - 2), "min")

    # ---- the back: C7, the spinous processes, the sacrum -----------------------------------------
    c7 = skin.back_at(C7_HEIGHT * H)
    # GV20 (the vertex landmark) is where the line over the head joining the tops of the ears
    # crosses the midline, 3 + 5 cun from the glabella; the hairlines and the occiput follow.
    eye = J["eye.R"]
    ear = skin.vertices[(skin.vertices[:, 0] < -7.4) & (skin.vertices[:, 1] > eye[1] - 7) &
                        (skin.vertices[:, 1] < eye[1] + 2.5) & (skin.vertices[:, 2] < eye[2] - 5)]
    ear_apex = ear[np.argmax(ear[:, 1])]
    top = skin.loop[np.argmax(skin.loop[:, 1])]
    crown = skin.loop[(skin.loop[:, 1] > eye[1])]
    vertex = crown[np.argmin(np.abs(crown[:, 2] - ear_apex[2]) + 100 * (crown[:, 1] < top[1] - 4))]
    head_cun = skin.arc(glabella, vertex, via=skin.walk(glabella, 2.0, toward=top)) / 8.0
    anterior_hairline = skin.walk(glabella, 3 * head_cun, toward=top)
    back = skin.back_profile(eye[1] - 15, top[1])
    # Behind the vertex the cun is the back of the head's own: vertex to C7 is 7 + 3 cun.
    nape_cun = skin.arc(vertex, c7, via=back[len(back) // 2]) / 10.0
    posterior_hairline = skin.walk(vertex, 7 * nape_cun, toward=back[0])
    eop = skin.walk(posterior_hairline, 1.8 * nape_cun, toward=top)
    eop_upper = skin.walk(posterior_hairline, 2.5 * nape_cun, toward=top)

    trunk = skin.front_profile(80, notch[1] + 1)
    navel = extreme(band(trunk, 0.56 * H, 0.64 * H), "min")
    chest_cun = skin.arc(notch, navel, via=skin.front_profile(110, 120)[0]) / 17.0
    xiphoid = skin.walk(navel, 8 * chest_cun, toward=notch)
    pubic = skin.walk(navel, 5 * chest_cun, toward=skin.loop[np.argmin(skin.loop[:, 1])])

    # Spinous processes: C7 to L4 (level with the top of the iliac crests, about a centimetre
    # below the navel), gaps growing smoothly from the neck to the lumbar spine.
    l4_y = navel[1] - 1.0
    names = ["C7"] + [f"T{k}" for k in range(1, 13)] + [f"L{k}" for k in range(1, 5)]
    gaps = np.array([1.9] + [2.1 + 0.04 * k for k in range(5)] + [2.35 + 0.05 * k for k in range(7)]
                    + [3.0, 3.2, 3.3])
    assert len(gaps) == len(names) - 1
    levels = c7[1] - np.concatenate([[0], np.cumsum(gaps / gaps.sum() * (c7[1] - l4_y))])
    lower = {"L5": 3.1, "S1": 2.6, "S2": 2.2, "S3": 2.0, "S4": 1.9, "sacral-hiatus": 1.6, "coccyx-tip": 3.0}
    y = levels[-1]
    for name, gap in lower.items():
        y -= gap
        names.append(name)
        levels = np.append(levels, y)

    mid = lambda name, point, cun, text: put(name, skin.nearest(point), cun, text)  # noqa: E731
    mid("glabella", glabella, head_cun, "Glabella: between the medial ends of the eyebrows, on the midline.")
    mid("anterior-hairline", anterior_hairline, head_cun, "Anterior hairline on the midline, 3 cun above the glabella.")
    mid("vertex", vertex, (head_cun + nape_cun) / 2, "Top of the head on the midline, 5 cun behind the anterior hairline (GV20 level).")
    mid("eop-upper-border", eop_upper, nape_cun, "Depression just above the external occipital protuberance (GV17 level).")
    mid("occipital-protuberance", eop, nape_cun, "External occipital protuberance on the midline of the back of the head.")
    mid("posterior-hairline", posterior_hairline, nape_cun, "Posterior hairline on the midline, 3 cun above C7's spinous process.")
    mid("nose-tip", nose_tip, head_cun, "Tip of the nose.")
    mid("subnasale", subnasale, head_cun, "Where the nose meets the upper lip, on the midline.")
    mid("mouth", stomion, head_cun, "Middle of the line where the lips meet.")
    mid("mentolabial-groove", groove, head_cun, "Mentolabial groove: the dip between the lower lip and the chin.")
    mid("chin", chin, head_cun, "Front of the chin on the midline.")
    mid("laryngeal-prominence", larynx, head_cun, "Laryngeal prominence (Adam's apple) on the front of the neck.")

    # ---- the face, right side ---------------------------------------------------------------------
    put("pupil", skin.front(eye[0], eye[1]), head_cun, "Centre of the right eye, looking straight ahead.")
    put("inner-canthus", skin.front(eye[0] + 1.25, eye[1] - 0.05), head_cun, "Inner corner of the right eye.")
    put("outer-canthus", skin.front(eye[0] - 1.45, eye[1] + 0.05), head_cun, "Outer corner of the right eye.")
    put("brow-lateral", skin.front(eye[0] - 2.0, eye[1] + 1.7), head_cun, "Lateral end of the right eyebrow.")
    put("hairline-corner", skin.nearest(around(skin, anterior_hairline[1] - 2.0, 4.5 * 0.8 * head_cun)), head_cun,
        "Corner of the forehead at the hairline, 4.5 cun from the midline.")
    put("ala", skin.front(-1.65, subnasale[1] + 0.9), head_cun, "Lateral edge of the right nostril wing (ala).")
    put("mouth-corner", skin.front(-2.45, stomion[1]), head_cun, "Right corner of the mouth.")

    ear_lobe = ear[np.argmin(ear[:, 1])]
    middle = ear[np.abs(ear[:, 1] - (ear_lobe[1] + 0.35 * (ear_apex[1] - ear_lobe[1]))) < 0.8]
    tragus = middle[np.argmax(middle[:, 2])]
    put("ear-apex", skin.nearest(ear_apex), head_cun, "Top of the right ear.")
    put("ear-lobe", skin.nearest(ear_lobe), head_cun, "Lowest point of the right ear lobe.")
    put("tragus", skin.nearest(tragus), head_cun, "Tragus: the small flap in front of the right ear's opening.")
    put("zygomatic-arch", skin.right_side(tragus[1] + 0.5, tragus[2] + 2.6), head_cun,
        "Lower border of the zygomatic arch in front of the ear.")
    put("jaw-angle", skin.right_side(ear_lobe[1] - 3.4, ear_lobe[2] + 0.3), head_cun,
        "Angle of the right lower jaw (mandible).")

    # ---- the chest and abdomen -------------------------------------------------------------------
    # The nipple is the centre of the ring of small faces on the breast (MakeHuman's areola):
    # the skin vertex there whose neighbours are nearest.
    chest = np.flatnonzero((skin.vertices[:, 0] < -6) & (skin.vertices[:, 0] > -14) &
                           (np.abs(skin.vertices[:, 1] - 0.73 * H) < 0.04 * H) & (skin.vertices[:, 2] > 5))
    spacing = np.array([np.sort(np.linalg.norm(skin.vertices - skin.vertices[i], axis=1))[1:6].mean() for i in chest])
    nipple = skin.vertices[chest[np.argmin(spacing)]]
    across_cun = 2 * abs(nipple[0]) / 8.0
    mid("suprasternal-notch", notch, chest_cun, "Suprasternal (jugular) notch at the top of the sternum.")
    mid("xiphisternal-junction", xiphoid, chest_cun, "Xiphisternal junction, 9 cun below the suprasternal notch.")
    mid("navel", navel, chest_cun, "Centre of the navel (umbilicus).")
    mid("pubic-symphysis", pubic, chest_cun, "Upper border of the pubic symphysis, 5 cun below the navel.")
    put("nipple", skin.nearest(nipple), across_cun, "Right nipple (4th intercostal space).")
    # Intercostal spaces at the sternum: the 4th level with the nipples, the others spaced evenly
    # from the suprasternal notch (the 1st just below the clavicle's sternal end).
    space = (notch[1] - nipple[1]) / 4.4
    for k in range(1, 8):
        level = nipple[1] + (4 - k) * space
        mid(f"ics{k}", skin.front_at(level), across_cun, f"Level of the {ordinal(k)} intercostal space at the front midline.")

    shoulder = J["upperarm01.R"]
    acromion = put("acromion", skin.ray((shoulder[0] - 0.8, FAR, shoulder[2] - 0.3), -Y), across_cun,
                   "Lateral end of the right acromion, the tip of the shoulder.")
    clavicle_mid = (J["clavicle.R"] + acromion) / 2
    put("clavicle-midpoint", skin.front(clavicle_mid[0], clavicle_mid[1] + 0.6), across_cun,
        "Midpoint of the right clavicle, on the nipple line.")
    x, y = gap_top(skin, "front", (shoulder[0] - 1, -11, ), shoulder[1] - 2, shoulder[1] - 20)
    put("anterior-axillary-fold", skin.front(x + 0.3, y + 0.4), across_cun, "Front end of the right armpit fold.")
    x, y = gap_top(skin, "back", (shoulder[0] - 1, -11), shoulder[1] - 2, shoulder[1] - 20)
    put("posterior-axillary-fold", skin.back(x + 0.3, y + 0.4), across_cun, "Back end of the right armpit fold.")

    hip = J["upperleg01.R"]
    between = skin.front_profile((xiphoid[1] + navel[1]) / 2 - 1, (xiphoid[1] + navel[1]) / 2 + 1)[0]
    belly_cun = skin.arc(xiphoid, navel, via=between) / 8.0
    put("asis", skin.front(hip[0] - 1.2, hip[1] + 8.0), belly_cun, "Right anterior superior iliac spine.")
    put("pubic-tubercle", skin.front(-2.6, pubic[1] - 0.6), belly_cun, "Right pubic tubercle, beside the symphysis.")
    l2_y = levels[names.index("L2")]
    # Cast from between the hanging arm and the flank.
    put("rib11-tip", skin.toward((-12, l2_y + 0.5, 3.0), X, back_off=5.0), belly_cun, "Free end of the right 11th rib.")
    put("rib12-tip", skin.toward((-12, l2_y - 1.0, -4.5), X, back_off=5.0), belly_cun, "Free end of the right 12th rib.")
    put("greater-trochanter", skin.right_side(hip[1] - 1.5, hip[2] - 0.8), across_cun,
        "Top of the right greater trochanter of the femur.")

    # ---- the back of the trunk ---------------------------------------------------------------------
    for name, level in zip(names, levels):
        what = "spinous process" if name[0] in "CTL" else "sacral crest level"
        mid(name, skin.back_at(level), across_cun, f"{name}: below its {what}, on the posterior midline."
            if name[0] in "CTL" else {"S1": "Median sacral crest at the 1st posterior sacral foramen.",
                                       "S2": "Median sacral crest at the 2nd posterior sacral foramen.",
                                       "S3": "Median sacral crest at the 3rd posterior sacral foramen.",
                                       "S4": "Median sacral crest at the 4th posterior sacral foramen.",
                                       "sacral-hiatus": "Sacral hiatus at the lower end of the sacrum.",
                                       "coccyx-tip": "Tip of the coccyx in the gluteal cleft."}[name])
    level = dict(zip(names, levels))
    put("superior-angle-scapula", skin.back(-3.4 * across_cun, level["T2"]), across_cun,
        "Superior angle of the right scapula (T2 level).")
    root = put("scapular-spine-root", skin.back(-3.0 * across_cun, level["T3"]), across_cun,
               "Medial end of the right scapular spine, 3 cun from the midline (T3 level).")
    put("inferior-angle-scapula", skin.back(-3.6 * across_cun, level["T7"]), across_cun,
        "Inferior angle of the right scapula (T7 level).")
    angle = put("acromial-angle", skin.back(shoulder[0] + 0.2, shoulder[1] + 3.0), across_cun,
                "Acromial angle: the back corner of the right shoulder.")
    spine_mid = (root + angle) / 2
    put("scapular-spine-midpoint", skin.back(spine_mid[0], spine_mid[1] + 0.8), across_cun,
        "Midpoint of the right scapular spine.")
    put("psis", skin.back(-2.5 * across_cun, level["S2"] + 0.8), across_cun,
        "Right posterior superior iliac spine (S2 level).")
    put("iliac-crest-top", skin.back(-4.6 * across_cun, level["L4"] + 0.3), across_cun,
        "Highest point of the right iliac crest, level with L4.")

    # ---- the arm (right), palms forward ---------------------------------------------------------------
    elbow, wrist = J["lowerarm01.R"], J["wrist.R"]
    upper_axis, fore_axis = unit(elbow - shoulder), unit(wrist - elbow)
    lateral = unit(np.cross(fore_axis, Z))  # for the right arm hanging down: toward -x
    if lateral[0] > 0:
        lateral = -lateral
    crease = skin.front(elbow[0], elbow[1])
    axillary = skin.at("anterior-axillary-fold")
    arm_cun = np.linalg.norm(crease[0] - axillary) / 9.0
    wrist_crease = skin.front(wrist[0], wrist[1])
    forearm_cun = np.linalg.norm(wrist_crease[0] - crease[0]) / 12.0
    put("elbow-crease", crease, forearm_cun, "Middle of the right elbow crease.")
    put("olecranon", skin.back(elbow[0], elbow[1] + 0.4), arm_cun, "Tip of the right olecranon (the point of the elbow).")
    put("lateral-epicondyle", skin.toward(elbow, -lateral), forearm_cun, "Lateral epicondyle of the right humerus.")
    put("medial-epicondyle", skin.toward(elbow, lateral, back_off=4.0), arm_cun,
        "Medial epicondyle of the right humerus.")
    put("elbow-crease-lateral", skin.toward(elbow + 0.5 * Z, unit(-lateral - Z)), forearm_cun,
        "Lateral end of the right elbow crease, with the elbow bent.")
    put("palmar-wrist-crease", wrist_crease, forearm_cun, "Middle of the palmar wrist crease (right).")
    put("dorsal-wrist-crease", skin.back(wrist[0], wrist[1]), forearm_cun, "Middle of the dorsal wrist crease (right).")
    put("wrist-radial", skin.toward(wrist + 0.3 * Z, -lateral), forearm_cun,
        "Radial (thumb) side of the right wrist, the anatomical snuffbox.")
    hand_axis = unit(J["finger3-1.R"] - wrist)
    for k in range(2, 6):
        knuckle = J[f"finger{k}-1.R"]
        put(f"knuckle-{k}", skin.back(knuckle[0], knuckle[1]), forearm_cun,
            f"Head of the right {('', '', 'index', 'middle', 'ring', 'little')[k]} finger's metacarpal bone, on the back of the hand.")
    tips = {}
    for k in range(1, 6):
        a, b = J[f"finger{k}-2.R"], J[f"finger{k}-3.R"]
        direction = unit(b - a)
        near = skin.vertices[np.linalg.norm(np.cross(skin.vertices - b, direction), axis=1) < 1.0]
        near = near[(near - b) @ direction > 0]
        tip = near[np.argmax((near - b) @ direction)]
        tips[k] = tip
        put(f"fingertip-{k}", skin.nearest(tip), forearm_cun,
            f"Tip of the right {('', 'thumb', 'index finger', 'middle finger', 'ring finger', 'little finger')[k]}.")
    for k in range(2, 6):
        pip = J[f"finger{k}-2.R"]
        put(f"pip-crease-{k}", skin.front(pip[0], pip[1]), forearm_cun,
            f"Palmar crease of the right {('', '', 'index', 'middle', 'ring', 'little')[k]} finger's middle joint.")
    for k in range(1, 5):
        a = J["finger1-2.R"] if k == 1 else J[f"finger{k}-1.R"]
        b = J[f"finger{k + 1}-1.R"]
        start = (a + b) / 2
        # Between the two fingers: along the mean of their directions.
        between = unit(unit(tips[k] - a) + unit(tips[k + 1] - b))
        x, y = web_on_dorsum(skin, start, between)
        put(f"finger-web-{k}", skin.back(x, y), forearm_cun,
            f"Margin of the web between the right {('', 'thumb', 'index', 'middle', 'ring')[k]} and "
            f"{('', 'index', 'middle', 'ring', 'little')[k]} fingers.")
    nails = (("thumbnail-radial-corner", 1, "radial"), ("index-nail-radial-corner", 2, "radial"),
             ("ring-nail-ulnar-corner", 4, "ulnar"), ("little-nail-radial-corner", 5, "radial"),
             ("little-nail-ulnar-corner", 5, "ulnar"))
    for name, k, edge in nails:
        joint = J[f"finger{k}-3.R"]
        finger = unit(tips[k] - joint)
        # The nail faces backward on the fingers and outward (laterally) on the thumb.
        facing = -Z if k > 1 else unit(lateral - 0.3 * Z)
        facing = unit(facing - (facing @ finger) * finger)
        radial = unit(np.cross(finger, facing))
        if radial[0] > 0:
            radial = -radial
        side = radial if edge == "radial" else -radial
        base = joint + 0.45 * (tips[k] - joint)
        put(name, skin.nearest(base + side * 0.45 + facing * 0.5), forearm_cun,
            f"Corner of the right {('', 'thumb', 'index', '', 'ring', 'little')[k]} nail, {edge} side.")

    # ---- the leg and foot (right) ----------------------------------------------------------------
    knee, ankle = J["lowerleg01.R"], J["foot.R"]
    popliteal = skin.back(knee[0], knee[1] - 0.3)
    trochanter = skin.at("greater-trochanter")
    thigh_cun = abs(trochanter[1] - popliteal[0][1]) / 19.0
    lateral_malleolus = skin.right_side(ankle[1] - 0.8, ankle[2] - 0.8)
    leg_cun = abs(popliteal[0][1] - lateral_malleolus[0][1]) / 16.0
    put("popliteal-crease-midpoint", popliteal, leg_cun, "Middle of the right knee crease (popliteal crease).")
    put("lateral-malleolus", lateral_malleolus, leg_cun, "Prominence of the right lateral malleolus.")
    put("medial-malleolus", skin.toward((ankle[0] + 1.0, ankle[1] + 0.3, ankle[2]), -X, back_off=5.0), leg_cun,
        "Prominence of the right medial malleolus.")
    put("patella-base", skin.front(knee[0], knee[1] + 5.6), thigh_cun, "Upper border (base) of the right patella, middle.")
    put("patella-base-lateral", skin.front(knee[0] - 2.6, knee[1] + 5.1), thigh_cun,
        "Lateral end of the upper border of the right patella.")
    put("patella-base-medial", skin.front(knee[0] + 2.6, knee[1] + 5.1), thigh_cun,
        "Medial end of the upper border of the right patella.")
    put("patella-apex-lateral", skin.front(knee[0] - 1.9, knee[1] + 0.9), leg_cun,
        "Lateral side of the lower end of the right patella, beside its ligament.")
    put("patella-apex-medial", skin.front(knee[0] + 1.9, knee[1] + 0.9), leg_cun,
        "Medial side of the lower end of the right patella, beside its ligament.")
    put("knee-joint-line", skin.front(knee[0], knee[1] - 0.3), leg_cun, "Front of the right knee at the joint line.")
    put("lateral-knee-eye", skin.front(knee[0] - 2.0, knee[1] - 0.3), leg_cun,
        "Lateral knee eye: the hollow beside the patellar ligament, below the patella.")
    put("knee-lateral", skin.right_side(knee[1] - 0.2, knee[2] - 0.6), thigh_cun, "Lateral side of the right knee at the joint line.")
    put("knee-crease-medial", skin.toward(knee + (0.5, -0.3, -2.0), unit(-X + Z), back_off=5.0), leg_cun,
        "Medial end of the right knee crease.")
    put("tibial-tuberosity", skin.front(knee[0] + 0.2, knee[1] - 5.0), leg_cun, "Tuberosity of the right tibia below the knee.")
    put("medial-tibial-condyle", skin.toward(knee + (0.5, -4.0, -1.0), -X, back_off=5.0), leg_cun,
        "Lower border of the medial condyle of the right tibia.")
    put("fibular-head", skin.right_side(knee[1] - 3.6, knee[2] - 2.4), leg_cun, "Head of the right fibula.")
    gluteal = gluteal_fold(skin, hip[0] + 0.5)
    put("gluteal-fold-midpoint", skin.back(hip[0] + 0.5, gluteal), thigh_cun, "Middle of the right gluteal (buttock) fold.")

    toes = {k: (J[f"toe{k}-1.R"], J[f"toe{k}-2.R"]) for k in range(1, 6)}
    put("ankle-front", skin.front(ankle[0] + 0.3, ankle[1] + 0.6), leg_cun,
        "Front of the right ankle at its crease, level with the malleoli.")
    for k in range(1, 5):
        a = (toes[k][0] + toes[k][1]) / 2
        b = (toes[k + 1][0] + toes[k + 1][1]) / 2
        web = (a + b) / 2
        put(f"toe-web-{k}", skin.ray((web[0], FAR, web[2] - 0.4), -Y), leg_cun,
            f"Margin of the web between the right {ordinal(k)} and {ordinal(k + 1)} toes.")
    toe_tip = {}
    for k in range(1, 6):
        last = J[f"toe{k}-3.R"] if f"toe{k}-3.R" in J else toes[k][1]
        near = skin.vertices[(np.abs(skin.vertices[:, 0] - last[0]) < 0.7) & (skin.vertices[:, 1] < 4)]
        toe_tip[k] = near[np.argmax(near[:, 2])]
    for name, k, edge in (("big-toenail-medial-corner", 1, 1), ("big-toenail-lateral-corner", 1, -1),
                          ("second-toenail-lateral-corner", 2, -1), ("fourth-toenail-lateral-corner", 4, -1),
                          ("little-toenail-lateral-corner", 5, -1)):
        last = J[f"toe{k}-3.R"] if f"toe{k}-3.R" in J else toes[k][1]
        base = last + 0.3 * (toe_tip[k] - last)
        width = 1.05 if k == 1 else 0.6
        spot = skin.ray((base[0] + edge * width * 0.6, FAR, base[2]), -Y)
        side = "medial" if edge > 0 else "lateral"
        put(name, spot, leg_cun, f"Corner of the right {ordinal(k)} toenail, {side} side.")
    first_mtp = toes[1][0]
    put("first-mtp", skin.toward(first_mtp + (0.8, -0.3, 0), -X, back_off=4.0), leg_cun,
        "Medial side of the right big toe's joint with the foot (1st metatarsophalangeal joint).")
    put("fifth-mtp", skin.right_side(toes[5][0][1] - 0.2, toes[5][0][2]), leg_cun,
        "Lateral side of the right little toe's joint with the foot (5th metatarsophalangeal joint).")
    put("fifth-metatarsal-tuberosity", skin.right_side(1.8, ankle[2] + 0.45 * (toes[5][0][2] - ankle[2])), leg_cun,
        "Tuberosity of the right 5th metatarsal bone on the outer edge of the foot.")
    put("navicular-tuberosity", skin.toward((ankle[0] + 2.0, 3.3, ankle[2] + 3.6), -X, back_off=4.0), leg_cun,
        "Tuberosity of the right navicular bone, below and in front of the medial malleolus.")
    web23 = skin.at("toe-web-2")
    put("sole-web-2-3", skin.ray((web23[0], -FAR, web23[2] - 1.0), Y), leg_cun,
        "Sole of the right foot below the web between the 2nd and 3rd toes.")
    put("heel-back", skin.back(ankle[0], 2.5), leg_cun, "Back of the right heel.")

    write(skin)
    print(f"cun: head {head_cun:.2f} nape {nape_cun:.2f}, chest {chest_cun:.2f} across {across_cun:.2f}, belly {belly_cun:.2f}, "
          f"arm {arm_cun:.2f}, forearm {forearm_cun:.2f}, thigh {thigh_cun:.2f}, leg {leg_cun:.2f} cm")
    print("levels", {n: round(float(v), 1) for n, v in zip(names, levels)})



def around(skin, y, distance):
    """The point ``distance`` cm round the head's horizontal section at height ``y``, from the front
    midline toward the patient's right (the transverse cun is 0.8 of the head's long cun, so that
    4.5 cun reach the corner of the forehead)."""
    section = skin.mesh.section(plane_origin=[0, y, 0], plane_normal=[0, 1.0, 0])
    loops = [np.asarray(loop, float) for loop in section.discrete]
    loop = min(loops, key=lambda l: np.abs(l[:, 0]).min() + (0 if l[:, 2].max() > 0 else 100))
    start = int(np.argmax(loop[:, 2] - 10 * np.abs(loop[:, 0])))
    step = 1 if loop[(start + 3) % len(loop), 0] < loop[start, 0] else -1
    point, left, i = loop[start], distance, start
    while left > 0:
        nxt = loop[(i + step) % len(loop)]
        length = np.linalg.norm(nxt - point)
        if length >= left:
            return point + (nxt - point) * (left / length)
        left -= length
        point, i = nxt, (i + step) % len(loop)
    return point


def web_on_dorsum(skin, start, axis):
    """Walk from between two knuckles toward the fingertips until the back view sees no skin."""
    point = start.copy()
    for _ in range(80):
        nxt = point + 0.1 * axis
        hits, _, _ = skin.mesh.ray.intersects_location([(nxt[0], nxt[1], -FAR)], [Z])
        if not len(hits):
            return point[0] - 0.15 * axis[0], point[1] - 0.15 * axis[1]
        point = nxt
    return point[0], point[1]


def gluteal_fold(skin, x):
    """Height of the buttock fold at ``x``: where the back's outline bends most sharply below the buttock."""
    ys = np.arange(60.0, 90.0, 0.25)
    zs = np.array([skin.back(x, y)[0][2] for y in ys])
    bend = np.gradient(np.gradient(zs, ys), ys)
    lowest = int(np.argmin(zs))  # the buttock's most posterior point
    below = slice(0, lowest)
    return float(ys[below][np.argmax(bend[below])])


def ordinal(k: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(k, f"{k}th")


def write(skin: Skin) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["landmark", "vertices", "weights", "cun", "description"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(skin.rows())
    OUT.write_text(out.getvalue(), encoding="utf-8")
    print(f"{OUT.name}: {len(skin.found)} landmarks")


if __name__ == "__main__":
    main()
