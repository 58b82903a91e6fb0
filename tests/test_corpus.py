"""A corpus of broken data folders: each fails with the documented lines, none with a traceback.

``tests/corpus/_valid`` is a small complete data folder; every other folder
holds only what differs from it (files to replace, a ``DELETE`` list, a
``HUGE`` list of files to pad to a size) and ``expected.txt``, the start of
the problem lines it must produce. Cases that are valid oddities load.
"""

import shutil
from pathlib import Path

import pytest

from bodymap import DataError, load_atlas
from bodymap.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def build(case: str, target: Path) -> Path:
    shutil.copytree(CORPUS / "_valid", target)
    source = CORPUS / case
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_file() and relative.name not in ("expected.txt", "DELETE", "HUGE"):
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / relative)
    for name in (source / "DELETE").read_text().split() if (source / "DELETE").exists() else []:
        (target / name).unlink()
    if (source / "HUGE").exists():
        for line in (source / "HUGE").read_text().splitlines():
            name, size = line.split()
            with (target / name).open("ab") as handle:
                handle.write(b" " * int(size))
    return target


def test_the_valid_folder_loads():
    atlas = load_atlas(CORPUS / "_valid")
    assert set(atlas.points) == {"BL23", "BL25", "GV4"}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_broken_folder_fails_with_its_lines_and_exit_2(case, tmp_path, capsys):
    folder = build(case, tmp_path / "data")
    expected = [line for line in (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]
    with pytest.raises(DataError) as caught:
        load_atlas(folder)
    problems = [str(p) for p in caught.value.problems]
    for fragment in expected:
        assert any(fragment in p for p in problems), (fragment, problems)
    assert main(["validate", "--data", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and all(f in err for f in expected)


def test_bom_and_crlf_are_valid_oddities(tmp_path):
    folder = build("missing-file", tmp_path / "data")  # start from any case, then repair it with oddities
    shutil.copy(CORPUS / "_valid" / "points.csv", folder / "points.csv")
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert set(load_atlas(folder).points) == {"BL23", "BL25", "GV4"}
