"""How people write point codes and names, reduced to comparable keys."""

from __future__ import annotations

import re
import unicodedata

_CODE_FORM = re.compile(r"^([a-z]+)[\s.\-_]*(\d+)$")
_EXTRA_FORM = re.compile(r"^EX-(HN|CA|B|UE|LE)(\d+)$")
# WHO's 48 standard extra points (1991 nomenclature): how many each region numbers.
WHO_EXTRA_REGIONS = {"HN": 15, "CA": 1, "B": 9, "UE": 11, "LE": 12}


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


def looks_like_who_extra(code: str) -> bool:
    """Written like WHO's extra-point codes: ``EX-HN16`` looks like one without being one."""
    return _EXTRA_FORM.match(code) is not None


def is_who_extra(code: str) -> bool:
    """One of WHO's 48 extra points: EX-HN1..15, EX-CA1, EX-B1..9, EX-UE1..11, EX-LE1..12."""
    match = _EXTRA_FORM.match(code)
    return match is not None and 1 <= int(match.group(2)) <= WHO_EXTRA_REGIONS[match.group(1)]


def who_extra_codes() -> list[str]:
    """WHO's 48 extra-point codes in the standard's order, EX-HN1 to EX-LE12."""
    return [f"EX-{region}{n}" for region, count in WHO_EXTRA_REGIONS.items() for n in range(1, count + 1)]
