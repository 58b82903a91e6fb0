"""Writing exports safely, and handouts described in TOML spec files."""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

from ..i18n import _, ngettext
from .spec import FORMATS, ExportError, HandoutSpec

SPEC_KEYS = {"title", "subtitle", "conditions", "meridians", "points", "categories", "views", "paper", "landscape",
             "table", "format", "frame", "lang", "output"}
MAX_SPEC_BYTES = 1_000_000


def format_for(output: Path, asked: str | None) -> str:
    """The format from --format or the file's suffix; they must agree."""
    suffix = output.suffix.lower().lstrip(".")
    if asked and suffix in FORMATS and suffix != asked:
        raise ExportError(_("{output} ends in .{suffix} but --format is {format}; make them agree").format(
            output=output, suffix=suffix, format=asked))
    if asked:
        return asked
    if suffix in FORMATS:
        return suffix
    raise ExportError(_("cannot tell the format of {output}; end it in .pdf, .svg or .png, or pass --format").format(
        output=output))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _write_temporary(path: Path, data: bytes) -> str:
    """``data`` in a temporary file beside ``path``; its name, to rename or remove."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(_("cannot write {path}: the folder {folder} does not exist").format(path=path,
                                                                                             folder=folder))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise ExportError(_("cannot write into {folder} ({reason}); choose another --output").format(
            folder=folder, reason=error.strerror)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # mkstemp makes the file private; an export is an ordinary file for its reader.
        os.chmod(temporary, 0o666 & ~_umask())
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(_("cannot write {path} ({reason}); choose another --output").format(
            path=path, reason=error.strerror)) from None
    return temporary


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: never a partial file."""
    write_all_atomically([(path, data)])


def page_outputs(output: Path, count: int) -> list[Path]:
    """Where a handout's pages go as SVG or PNG: NAME.svg, then NAME-2.svg, NAME-3.svg..."""
    return [output] + [output.with_name(f"{output.stem}-{k}{output.suffix}") for k in range(2, count + 1)]


def write_all_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Several files that belong together (a quiz and its key): all of them or none.

    Each is written to a temporary file beside it first; only when every one
    is written are they renamed into place.
    """
    temporaries: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            temporaries.append((_write_temporary(path, data), path))
        for temporary, path in temporaries:
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise ExportError(_("cannot write {path} ({reason}); choose another --output").format(
                    path=path, reason=error.strerror)) from None
    finally:
        for temporary, _unused in temporaries:
            Path(temporary).unlink(missing_ok=True)


def _strings(value, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    message = _("give a list of strings, like [\"sciatica\"]")
    raise ExportError(f"{where}: {key}: {message}")


def read_spec(path: Path) -> list[tuple[HandoutSpec, Path]]:
    """Handouts described in a TOML file: top-level keys for one, or [[handout]] tables for several.

    Each names its ``output`` (relative to the spec file).
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        message = _("cannot be read ({reason})").format(reason=error.strerror)
        raise ExportError(f"{path}: {message}") from None
    if len(raw) > MAX_SPEC_BYTES:
        message = ngettext("is larger than {limit} byte", "is larger than {limit} bytes",
                           MAX_SPEC_BYTES).format(limit=MAX_SPEC_BYTES)
        raise ExportError(f"{path}: {message}")
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        # TRANSLATORS: {error} is the TOML or UTF-8 reader's own message, in English.
        message = _("{error}; fix the TOML").format(error=error)
        raise ExportError(f"{path}: {message}") from None
    tables = document.get("handout", [document]) if "handout" in document else [document]
    if not isinstance(tables, list) or not tables:
        message = _("[[handout]] must be a list of tables")
        raise ExportError(f"{path}: {message}")
    handouts = []
    for number, table in enumerate(tables, start=1):
        where = f"{path} handout {number}" if "handout" in document else str(path)
        unknown = sorted(set(table) - SPEC_KEYS)
        if unknown:
            message = _("unknown key {key}; known keys: {keys}").format(key=repr(unknown[0]),
                                                                         keys=", ".join(sorted(SPEC_KEYS)))
            raise ExportError(f"{where}: {message}")
        if not isinstance(table.get("output"), str) or not table["output"]:
            message = _("name the file to write, like output = \"sciatica.pdf\"")
            raise ExportError(f"{where}: output: {message}")
        output = path.parent / table["output"]
        for key in ("title", "subtitle", "paper", "format", "frame", "lang"):
            if key in table and not isinstance(table[key], str):
                message = _("give a string")
                raise ExportError(f"{where}: {key}: {message}")
        for key in ("landscape", "table"):
            if key in table and not isinstance(table[key], bool):
                message = _("give true or false")
                raise ExportError(f"{where}: {key}: {message}")
        spec = HandoutSpec(
            conditions=_strings(table.get("conditions", []), "conditions", where),
            meridians=_strings(table.get("meridians", []), "meridians", where),
            points=_strings(table.get("points", []), "points", where),
            categories=_strings(table.get("categories", []), "categories", where),
            views=_strings(table.get("views", []), "views", where),
            title=table.get("title", ""), subtitle=table.get("subtitle", ""),
            paper=table.get("paper", "a4"), landscape=table.get("landscape", False), table=table.get("table", True),
            format=format_for(output, table.get("format")), frame=table.get("frame", "points"),
            lang=table.get("lang", ""),
        )
        handouts.append((spec, output))
    return handouts
