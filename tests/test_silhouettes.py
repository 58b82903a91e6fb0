import numpy as np
import pytest

from bodymap.resources import default_svg_dir
from bodymap.silhouettes import load_silhouette

VIEWS = ["front", "back", "side", "hand", "leg"]


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_has_a_closed_outline(view):
    silhouette = load_silhouette(default_svg_dir() / f"{view}.svg")
    assert silhouette.polygons
    assert silhouette.outline_path.startswith("M") and silhouette.outline_path.endswith("Z")
    assert "A" not in silhouette.outline_path  # plotly shapes cannot draw arcs
    x0, y0, w, h = silhouette.view_box
    bx0, by0, bx1, by1 = silhouette.bbox
    assert x0 <= bx0 < bx1 <= x0 + w and y0 <= by0 < by1 <= y0 + h


@pytest.mark.parametrize("view", ["front", "back", "side"])
def test_full_body_proportions(view):
    silhouette = load_silhouette(default_svg_dir() / f"{view}.svg")
    _, top, _, sole = silhouette.bbox
    height = sole - top
    # About 7.5 head heights: the head (top to chin) is roughly 1/7.5 of the body.
    widths = [(y, silhouette.width_at(y)) for y in np.linspace(top + 1, top + height / 5, 60)]
    neck_y = min(widths[len(widths) // 3:], key=lambda item: item[1])[0]
    assert 6.0 <= height / (neck_y - top) <= 8.5


def test_front_and_back_are_mirror_consistent():
    front = load_silhouette(default_svg_dir() / "front.svg")
    back = load_silhouette(default_svg_dir() / "back.svg")
    assert front.bbox == pytest.approx(back.bbox, abs=0.5)
    for y in np.linspace(front.bbox[1] + 2, front.bbox[3] - 2, 40):
        assert front.width_at(y) == pytest.approx(back.width_at(y), abs=1.0)


def test_contains_is_a_real_point_in_polygon_test():
    front = load_silhouette(default_svg_dir() / "front.svg")
    axis = front.axis_x
    inside = front.contains(np.array([[axis, 300.0], [axis, 100.0], [axis + 300, 300.0], [axis, 2.0]]))
    assert inside.tolist() == [True, True, False, False]


def test_geometry_is_cached():
    path = default_svg_dir() / "front.svg"
    assert load_silhouette(path) is load_silhouette(path)


def test_disk_cache_returns_the_same_geometry(tmp_path, monkeypatch):
    from bodymap import silhouettes

    monkeypatch.setenv("BODYMAP_CACHE_DIR", str(tmp_path / "cache"))
    source = default_svg_dir() / "leg.svg"
    copy = tmp_path / "leg.svg"
    copy.write_bytes(source.read_bytes())
    parsed = load_silhouette(copy)  # a miss: parsed and written to the cache
    assert len(list((tmp_path / "cache").glob("*.npz"))) == 1
    silhouettes._load_cached.cache_clear()
    cached = load_silhouette(copy)  # a hit
    assert cached is not parsed
    assert cached.outline_path == parsed.outline_path and cached.bbox == parsed.bbox
    assert all(np.array_equal(a, b) for a, b in zip(cached.polygons, parsed.polygons))


def test_broken_or_unwritable_cache_is_only_slower(tmp_path, monkeypatch):
    from bodymap import silhouettes

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("BODYMAP_CACHE_DIR", str(blocked))
    silhouettes._load_cached.cache_clear()
    assert load_silhouette(default_svg_dir() / "hand.svg").polygons
    cache = tmp_path / "cache"
    monkeypatch.setenv("BODYMAP_CACHE_DIR", str(cache))
    silhouettes._load_cached.cache_clear()
    load_silhouette(default_svg_dir() / "hand.svg")
    (entry,) = cache.glob("*.npz")
    entry.write_bytes(b"not an npz file")
    silhouettes._load_cached.cache_clear()
    assert load_silhouette(default_svg_dir() / "hand.svg").polygons
