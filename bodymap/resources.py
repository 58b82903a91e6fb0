"""Where the built-in data tables and silhouettes live.

In a source checkout they sit at the top of the repository (``data/`` and
``assets/svg/``); an installed wheel carries the same folders inside the
package under ``_resources``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent


def _bundled(*parts: str) -> Path | None:
    candidate = resources.files("bodymap").joinpath("_resources", *parts)
    if candidate.is_dir():
        return Path(str(candidate))
    return None


def default_data_dir() -> Path:
    """The data folder that ships with bodymap."""
    return _bundled("data") or _PACKAGE_ROOT.parent / "data"


def default_svg_dir() -> Path:
    """The folder of silhouettes that ships with bodymap."""
    return _bundled("assets", "svg") or _PACKAGE_ROOT.parent / "assets" / "svg"


def default_body_file() -> Path:
    """The body every built-in view is drawn from (``assets/body/body.npz``)."""
    folder = _bundled("assets", "body") or _PACKAGE_ROOT.parent / "assets" / "body"
    return folder / "body.npz"
