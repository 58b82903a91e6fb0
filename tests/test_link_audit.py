"""The link audit's record (docs/link-audit.md) and the data agree."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "link-audit.md"


def changed_rows():
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"\d+", cells[0]):
            rows.append(cells)
    return rows


def test_every_recorded_change_is_in_the_data(atlas):
    rows = changed_rows()
    assert len(rows) == 8
    links = {(l.condition, l.point, l.source): l for l in atlas.links}
    for _, condition, point, was, now, _ in rows:
        if now == "removed":
            assert (condition, point, was) not in links
        elif now in atlas.sources:
            assert (condition, point, now) in links and (condition, point, was) not in links
        else:  # a corrected note
            note = re.search(r'"(.+)"', now).group(1)
            assert note in links[(condition, point, "cheng-cam")].note


def test_counts_add_up():
    text = DOC.read_text(encoding="utf-8")
    assert "930 links" in text and "140 links" in text
    kept, recited, removed, noted = map(int, re.search(
        r"(\d+) kept unchanged, (\d+) re-cited from\s+Cheng to Deadman, (\d+) removed, (\d+) kept with its note",
        text).groups())
    assert kept + recited + removed + noted == 1070
    rows = changed_rows()
    assert recited == sum(1 for r in rows if r[4] == "deadman-manual") and removed == sum(1 for r in rows if r[4] == "removed")

