import xml.etree.ElementTree as ET

import numpy as np

from bodymap.contact_sheet import main as contact_sheet_main
from bodymap.labels import place_labels


def _overlap(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def test_labels_avoid_each_other_when_there_is_room():
    xy = np.array([[100, 100], [100, 104], [100, 108], [160, 100]])
    labels = place_labels(xy, ["BL11", "BL12", "BL13", "GV14"], font_size=3, marker_radius=1)
    boxes = [label.box for label in labels]
    assert all(_overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert [label.text for label in labels] == ["BL11", "BL12", "BL13", "GV14"]
    assert labels[3].position == "middle right"


def test_crowded_labels_still_get_a_position():
    xy = np.zeros((12, 2))
    labels = place_labels(xy, [f"P{i}" for i in range(12)], font_size=3, marker_radius=1)
    assert len(labels) == 12 and all(label.position for label in labels)


def test_contact_sheet_draws_every_placement_labelled(tmp_path, atlas, capsys):
    assert contact_sheet_main(["--output", str(tmp_path)]) == 0
    for view in atlas.views:
        root = ET.parse(tmp_path / f"{view}.svg").getroot()
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
        assert len(circles) == len(atlas.layers[view].codes)
        for code in atlas.layers[view].codes:
            assert any(t and t.split("·")[0] == code for t in texts), (view, code)
        assert any("illustrative, not anatomical" in (t or "") for t in texts)
    assert (tmp_path / "index.html").read_text().count("<img") == len(atlas.views)


def test_contact_sheet_reports_bad_data(tmp_path, capsys):
    assert contact_sheet_main(["--data", str(tmp_path / "missing"), "--output", str(tmp_path / "out")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
