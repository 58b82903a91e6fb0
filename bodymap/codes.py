"""How people write point codes and names, reduced to comparable keys."""

from __future__ import annotations

import re
import unicodedata

_CODE_FORM = re.compile(r"^([a-z]+)[\s.\-_]*(\d+)$")


def name_key(text: str) -> str:
    """Lower-case, accent-free, with spaces and punctuation removed.

    ``"Wei Zhong"``, ``"weizhong"`` and ``"Wěi-zhōng"`` share one key; hanzi
    pass through unchanged.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def split_code(text: str) -> tuple[str, int] | None:
    """``"BL-23"``, ``"bl 23"``, ``"UB23"`` -> (``"bl"``, 23) / (``"ub"``, 23)."""
    match = _CODE_FORM.match(text.strip().casefold())
    if match is None:
        return None
    return match.group(1), int(match.group(2))
