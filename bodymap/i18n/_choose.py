"""Which language a reader gets: asked for in the URL, else the browser's preference."""

from __future__ import annotations

from typing import Iterable


def supported(lang: str | None, available: Iterable[str]) -> str | None:
    """``lang`` as the data spells it, if the data speaks it (``zh-hans`` -> ``zh-Hans``)."""
    if not lang:
        return None
    wanted = lang.strip().replace("_", "-").casefold()
    for tag in available:
        if tag.casefold() == wanted:
            return tag
    return None


def negotiate(accept_language: str | None, available: Iterable[str], default: str = "en") -> str:
    """The best of ``available`` for an ``Accept-Language`` header.

    ``zh``, ``zh-CN`` and ``zh-SG`` read as Simplified Chinese, ``es-MX`` as Spanish;
    anything unreadable gives ``default``.
    """
    tags = list(available)
    ranked: list[tuple[float, int, str]] = []
    for order, item in enumerate((accept_language or "").split(",")):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if name and quality > 0:
            ranked.append((-quality, order, name.strip()))
    for _quality, _order, name in sorted(ranked):
        match = supported(name, tags) or _by_language(name, tags)
        if match:
            return match
    return default


_SIMPLIFIED = {"zh", "zh-cn", "zh-sg", "zh-hans", "zh-hans-cn"}


def _by_language(name: str, tags: list[str]) -> str | None:
    lowered = name.casefold()
    if lowered in _SIMPLIFIED and "zh-Hans" in tags:
        return "zh-Hans"
    if lowered.startswith("zh"):
        return None  # Traditional Chinese readers are not given Simplified characters unasked
    base = lowered.split("-")[0]
    for tag in tags:
        if tag.casefold().split("-")[0] == base:
            return tag
    return None
