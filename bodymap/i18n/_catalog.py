"""gettext catalogs for interface strings, one per language, chosen per request."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import io
from pathlib import Path

DOMAIN = "bodymap"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("bodymap_lang", default="en")


def locale_dir() -> Path:
    """Where the catalogs are: ``<lang>/LC_MESSAGES/bodymap.po`` (and ``.mo`` once compiled)."""
    return Path(__file__).resolve().parent.parent / "locales"


def folder_name(lang: str) -> str:
    """A language tag as gettext names its folder: ``zh-Hans`` -> ``zh_Hans``."""
    return lang.replace("-", "_")


@functools.lru_cache(maxsize=None)
def translator(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang``: compiled (``make`` builds it) or read from its ``.po``."""
    folder = locale_dir() / folder_name(lang) / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if compiled.is_file() and (not source.is_file() or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    if source.is_file():
        # An installed copy without `make`: compile in memory, once per process.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with source.open("rb") as handle:
            catalog = read_po(handle, locale=folder_name(lang))
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    return _gettext.NullTranslations()


def current() -> str:
    """The language of the code running now (``en`` unless activated)."""
    return _current.get()


@contextlib.contextmanager
def activate(lang: str):
    """Run a block in ``lang``: interface strings inside it are translated into it."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def switch(lang: str) -> contextvars.Token:
    """Switch to ``lang`` until :func:`restore` is given the token (for code that cannot use a with block)."""
    return _current.set(lang)


def restore(token: contextvars.Token) -> None:
    _current.reset(token)


def gettext(message: str) -> str:
    return translator(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translator(_current.get()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Marks a string for the catalog where it is defined; translate it where it is shown."""
    return message


@functools.lru_cache(maxsize=None)
def catalog_counts(lang: str) -> tuple[int, int]:
    """(messages translated, messages in the template) for ``lang``'s catalog."""
    from babel.messages.pofile import read_po

    template = locale_dir() / f"{DOMAIN}.pot"
    if not template.is_file():
        return 0, 0
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    if lang == "en":
        return len(wanted), len(wanted)
    source = locale_dir() / folder_name(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not source.is_file():
        return 0, len(wanted)
    with source.open("rb") as handle:
        done = {message.id for message in read_po(handle)
                if message.id and not message.fuzzy and (all(message.string) if isinstance(message.string, tuple)
                                                         else message.string)}
    return len(wanted & done), len(wanted)
