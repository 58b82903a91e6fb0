"""The wheel carries its data and silhouettes and works outside the checkout."""

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = dist.glob("bodymap-*.whl")
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=900)
    return env_dir, wheel


def test_wheel_contains_data_and_silhouettes(installed):
    import zipfile

    _, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "bodymap/_resources/data/points.csv" in names
    assert "bodymap/_resources/assets/svg/front.svg" in names


def test_installed_cli_runs_from_another_directory(installed, tmp_path):
    env_dir, _ = installed
    result = subprocess.run([str(env_dir / "bin" / "bodymap"), "points", "--format", "json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert {"BL23", "LINGGU"} <= {r["code"] for r in records}
    views = subprocess.run([str(env_dir / "bin" / "bodymap"), "views", "--format", "json"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    svg = Path(json.loads(views.stdout)[0]["svg"])
    assert str(env_dir) in str(svg) and svg.is_file()


def test_the_installed_package_speaks_every_language(installed, tmp_path):
    """The data's translations and the interface catalogs travel in the wheel (a catalog `make`
    has not compiled is compiled in memory)."""
    import zipfile

    env_dir, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "bodymap/_resources/data/i18n/zh-Hans/points.csv" in names
    assert "bodymap/locales/es/LC_MESSAGES/bodymap.po" in names
    bodymap = str(env_dir / "bin" / "bodymap")
    found = subprocess.run([bodymap, "points", "--search", "BL23", "--format", "json", "--lang", "zh-Hans"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    assert "腰" in json.loads(found.stdout)[0]["location"]
    none = subprocess.run([bodymap, "points", "--search", "zzzz", "--lang", "es"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert none.stdout.strip() and none.stdout.strip() != "no points match"  # the interface, in Spanish
