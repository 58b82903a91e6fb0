import json
import subprocess
import sys

import pytest

from bodymap import load_atlas

from bodymap.cli import main
from conftest import read_rows, write_rows


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_points_json_contract(capsys, atlas):
    code, out, _ = run(capsys, "points", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert {r["code"] for r in records} == set(atlas.points)
    bl23 = next(r for r in records if r["code"] == "BL23")
    assert bl23["meridian"] == "BL" and bl23["number"] == 23
    assert set(bl23["names"]) == {"pinyin", "hanzi", "english"}
    assert {"code": "UB23", "system": "English abbreviation", "note": "UB = BL"} in bl23["aliases"]
    assert bl23["bilateral"] is True
    assert bl23["location"] and bl23["how_to_find"]
    assert "sciatica" in bl23["conditions"]
    sides = {(p["view"], p["side"]) for p in bl23["placements"]}
    assert {("back", "left"), ("back", "right")} <= sides
    assert all(p["accuracy"] == "illustrative" for p in bl23["placements"])
    li4 = next(r for r in records if r["code"] == "LI4")
    assert any(c["kind"] == "pregnancy" for c in li4["cautions"])
    gv4 = next(r for r in records if r["code"] == "GV4")
    assert gv4["bilateral"] is False


def test_points_search_carries_match(capsys):
    code, out, _ = run(capsys, "points", "--search", "B54", "--format", "json")
    assert code == 0
    records = {r["code"]: r for r in json.loads(out)}
    assert set(records) == {"BL54", "BL40"}
    assert records["BL40"]["match"]["reading"] == "older bladder numbering"
    assert records["BL54"]["match"]["reading"] == "WHO numbering"


def test_points_filters_and_table(capsys):
    code, out, _ = run(capsys, "points", "--condition", "sciatica", "--condition", "lower-back-pain", "--meridian", "UB")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["code", "pinyin"] and "serves" in lines[0]
    assert any(line.startswith("BL23 ") and "2/2" in line for line in lines)
    assert all(line.split()[0].startswith("BL") for line in lines[1:])


def test_points_csv(capsys):
    code, out, _ = run(capsys, "points", "--view", "hand", "--format", "csv")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.startswith("code,meridian,number,pinyin")
    assert any(row.startswith("LI4,LI,4,") for row in rows)


def test_conditions_and_views_json(capsys, atlas):
    code, out, _ = run(capsys, "conditions", "--format", "json")
    assert code == 0
    conditions = {c["id"]: c for c in json.loads(out)}
    for required in ("back-pain", "lower-back-pain", "upper-back-pain", "sciatica", "neck-pain", "shoulder-pain",
                     "chronic-back-pain", "acute-lumbar-pain", "pulled-back-muscle", "spine-pain",
                     "lower-back-spasms", "knee-pain", "hip-pain", "headache", "cough"):
        assert required in conditions, required
        assert conditions[required]["points"], required
        assert {"id", "name", "group", "points"} <= set(conditions[required])
    code, out, _ = run(capsys, "views", "--format", "json")
    views = {v["id"]: v for v in json.loads(out)}
    assert {"front", "back", "side", "hand", "leg"} <= set(views)
    assert views["front"]["svg"].endswith("front.svg") and len(views["front"]["viewBox"]) == 4


def test_validate_ok(capsys, atlas):
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert out.startswith("ok: ") and f"{len(atlas.points)} points" in out


def test_validate_bad_data_exits_2_with_every_problem(capsys, data_copy):
    header, rows = read_rows(data_copy / "points.csv")
    rows[0]["laterality"] = "sideways"
    rows[1]["meridian"] = "QQ"
    write_rows(data_copy / "points.csv", header, rows)
    code, out, err = run(capsys, "validate", "--data", str(data_copy))
    assert code == 2
    assert out == ""
    assert "points.csv:2: laterality: 'sideways' is not one of: bilateral, midline" in err
    assert "points.csv:3: meridian: 'QQ' is not a known meridian" in err
    assert "Traceback" not in err


def test_unknown_filter_values_exit_2(capsys):
    code, _, err = run(capsys, "points", "--condition", "gout")
    assert code == 2 and "unknown condition 'gout'" in err
    code, _, err = run(capsys, "points", "--meridian", "QQ")
    assert code == 2 and "unknown meridian 'QQ'" in err


def test_bad_options_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["points", "--format", "yaml"])
    assert exit_info.value.code == 2


def test_python_dash_m_from_another_directory(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bodymap", "points", "--search", "UB-23", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [r["code"] for r in json.loads(result.stdout)] == ["BL23"]


def test_data_folder_is_never_written(capsys, data_copy):
    before = {p: p.stat().st_mtime_ns for p in data_copy.rglob("*")}
    run(capsys, "validate", "--data", str(data_copy))
    run(capsys, "points", "--data", str(data_copy), "--format", "json")
    assert {p: p.stat().st_mtime_ns for p in data_copy.rglob("*")} == before


def test_meridians_json_contract(capsys, atlas):
    code, out, _ = run(capsys, "meridians", "--format", "json")
    assert code == 0
    records = {r["code"]: r for r in json.loads(out)}
    assert list(records)[:3] == ["LU", "LI", "ST"]
    bl = records["BL"]
    assert bl["colour"].startswith("#") and bl["names"]["english"]
    numbers = [atlas.points[c].number for c in bl["points"]]
    assert numbers == sorted(numbers)
    for view, lines in bl["pathways"].items():
        assert view in atlas.views
        for line in lines:
            assert len(line) >= 2 and all(len(xy) == 2 for xy in line)


def test_calibrate_prints_derived_positions(capsys, data_copy, atlas):
    # A data folder drawn in 2D (no cameras): anchored positions follow their landmarks.
    (data_copy / "cameras.csv").unlink()
    (data_copy / "body_landmarks.csv").unlink()
    header, rows = read_rows(data_copy / "landmarks.csv")
    rows.append(dict(view="back", landmark="probe", x="190", y="300", cun="10", description="a test landmark"))
    write_rows(data_copy / "landmarks.csv", header, rows)
    p_header, placements = read_rows(data_copy / "placements.csv")
    target = next(r for r in placements if r["view"] == "back" and r["side"] == "left" and r["point"] == "BL23")
    target.update(landmark="probe", across="2", down="0.5")
    write_rows(data_copy / "placements.csv", p_header, placements)
    before = (data_copy / "placements.csv").read_bytes()
    code, out, err = run(capsys, "calibrate", "--data", str(data_copy))
    assert code == 0, err
    derived = next(line for line in out.splitlines() if line.startswith("BL23,back,") and ",left," in line)
    # right-side position 190 + 2*10 = 210, mirrored about the back view's axis for the patient's left
    axis = atlas.views["back"].silhouette.axis_x
    assert derived.split(",")[2:4] == [f"{2 * axis - 210:.1f}", "305.0"]
    assert (data_copy / "placements.csv").read_bytes() == before


def test_calibrate_follows_the_body(capsys, data_copy, atlas):
    """Moving a body landmark moves its view landmarks and the placements anchored to it."""
    header, rows = read_rows(data_copy / "body_landmarks.csv")
    l2 = next(r for r in rows if r["landmark"] == "L2")
    l2["weights"] = "1 0 0"  # onto the first corner of its triangle, a little way across the back
    write_rows(data_copy / "body_landmarks.csv", header, rows)
    code, out, err = run(capsys, "calibrate", "--table", "landmarks", "--data", str(data_copy))
    assert code == 0, err
    moved = next(line.split(",") for line in out.splitlines() if line.startswith("back,L2,"))
    x, y = float(moved[2]), float(moved[3])
    before = atlas.landmarks["back"]["L2"]
    assert (x, y) != (before.x, before.y)
    (data_copy / "landmarks.csv").write_text(out, encoding="utf-8")
    code, out, err = run(capsys, "calibrate", "--data", str(data_copy))
    assert code == 0, err
    (data_copy / "placements.csv").write_text(out, encoding="utf-8")
    after = load_atlas(data_copy)
    gv4 = next(p for p in after.points["GV4"].placements if p.view == "back")
    assert gv4.anchor.landmark == "L2" and gv4.y == pytest.approx(y, abs=0.05)
    bl23 = next(p for p in after.points["BL23"].placements if p.view == "back" and p.side == "right")
    old = next(p for p in atlas.points["BL23"].placements if p.view == "back" and p.side == "right")
    assert bl23.y - old.y == pytest.approx(y - before.y, abs=0.15)


def test_bad_port_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", "99999"])
    assert exit_info.value.code == 2
    assert "not a port number from 1 to 65535" in capsys.readouterr().err


def test_table_columns_line_up_with_hanzi(capsys, atlas):
    import unicodedata

    def width(text):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    code, out, _ = run(capsys, "points", "--search", "BL2")
    header, row = out.splitlines()[:2]
    english = atlas.points["BL2"].english
    assert width(row[: row.index(english)]) == header.index("english")
