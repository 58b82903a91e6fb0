"""The ``bodymap`` command: serve the app, list and validate the data."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import unicodedata
from pathlib import Path

from .calibration import TABLE_CHOICES, recalibrated
from .handout.spec import ExportError
from .lesson import LessonError, encode_lesson, lesson_url, load_lesson, looks_like_lesson
from .i18n import _, coverage, localize, ngettext, restore, supported, switch
from .loader import load_atlas
from .model import ILLUSTRATIVE_NOTICE, Atlas
from .problems import DataError
from .resources import default_data_dir
from .query import Match, QueryError, query
from .serialise import category_record, category_text, condition_record, meridian_record, point_record, view_record

EXIT_OK, EXIT_USAGE = 0, 2


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 1 to 65535")
    return port


def _width(text: str) -> int:
    # Hanzi take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _parser() -> argparse.ArgumentParser:
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data", metavar="DIR", type=Path,
                      help="a data folder of your own (default: the built-in data)")
    data.add_argument("--lang", metavar="CODE", default="en",
                      help="language of the texts and handouts: en, zh-Hans or es (default en; "
                           "a data folder may add more)")
    parser = argparse.ArgumentParser(
        prog="bodymap",
        description=f"An open body map of acupuncture and acupressure points. {ILLUSTRATIVE_NOTICE}",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", parents=[data], help="start the browser app")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 opens it to the network)")
    serve.add_argument("--port", type=_port, default=8050, help="port (default 8050)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes (gunicorn) for a class at once; default 1, the built-in server")

    points = commands.add_parser("points", parents=[data], help="list points, filtered and searched")
    points.add_argument("--meridian", action="append", default=[], metavar="CODE",
                        help="only this meridian (WHO code or alias such as UB); repeatable")
    points.add_argument("--condition", action="append", default=[], metavar="ID",
                        help="only points for this condition; repeatable, ranked by how many they serve")
    points.add_argument("--view", action="append", default=[], metavar="ID", help="only points placed on this view")
    points.add_argument("--category", action="append", default=[], metavar="ID",
                        help="only special points of this category (back-shu, yuan-source, ...); repeatable, any of them")
    points.add_argument("--search", default="", metavar="TEXT",
                        help="a code in any form (BL23, UB-23, B54), alias, pinyin, hanzi or English name")
    points.add_argument("--format", choices=("table", "json", "csv"), default="table")

    for name, help_text in (("conditions", "list conditions and their points"), ("views", "list the body views"),
                            ("categories", "list the special-point categories and their points"),
                            ("meridians", "list meridians, their points in channel order and their pathways")):
        sub = commands.add_parser(name, parents=[data], help=help_text)
        sub.add_argument("--format", choices=("table", "json"), default="table")

    export = commands.add_parser("export", parents=[data], help="write a handout or figure (PDF, SVG, PNG)")
    export.add_argument("--condition", action="append", default=[], metavar="ID", help="points for this condition")
    export.add_argument("--meridian", action="append", default=[], metavar="CODE", help="points of this meridian")
    export.add_argument("--point", action="append", default=[], metavar="CODE", help="this point (any code form)")
    export.add_argument("--category", action="append", default=[], metavar="ID",
                        help="special points of this category (back-shu, ...)")
    export.add_argument("--views", default="", metavar="IDS", help="views to draw, e.g. back,leg (default: chosen for the points)")
    export.add_argument("--title", default="", help="the page title")
    export.add_argument("--subtitle", default="", help="a line under the title")
    export.add_argument("--paper", choices=("a4", "letter"), default="a4")
    export.add_argument("--landscape", action="store_true")
    export.add_argument("--format", choices=("pdf", "svg", "png"), help="default: from the output's suffix")
    export.add_argument("--table", action=argparse.BooleanOptionalAction, default=True,
                        help="the table of points (--no-table for a plain figure)")
    export.add_argument("--frame", choices=("points", "body"), default=None,
                        help="frame each view on the handout's points (default) or show the whole view")
    export.add_argument("--spec", type=Path, metavar="FILE",
                        help="handouts described in a TOML file, or a lesson file (its [[point]] tables)")
    export.add_argument("--all-conditions", action="store_true", help="one handout per condition into --output DIR")
    export.add_argument("--output", type=Path, metavar="FILE", help="the file to write (a folder with --all-conditions)")

    lesson = commands.add_parser("lesson", parents=[data], help="check a lesson file or print its link")
    lesson_commands = lesson.add_subparsers(dest="lesson_command", required=True, metavar="ACTION")
    check = lesson_commands.add_parser("check", parents=[data], help="check a lesson file and report every problem")
    check.add_argument("file", type=Path, metavar="FILE")
    link = lesson_commands.add_parser("link", parents=[data], help="print a URL that opens the lesson in the app")
    link.add_argument("file", type=Path, metavar="FILE")
    link.add_argument("--base", default="http://127.0.0.1:8050/", metavar="URL",
                      help="the app's address (default http://127.0.0.1:8050/)")
    link.add_argument("--quiz", action="store_true", help="open the lesson as a quiz")

    quiz = commands.add_parser("quiz", parents=[data],
                               help="write a printable quiz of a lesson: numbered points, then the answer key")
    quiz.add_argument("--spec", type=Path, metavar="FILE", required=True, help="the lesson file")
    quiz.add_argument("--output", type=Path, metavar="FILE", required=True,
                      help="QUIZ.pdf (the quiz, then the key), or QUIZ.svg / QUIZ.png (the key beside it as "
                           "QUIZ-key.svg / .png, a longer key's further pages as QUIZ-key-2.svg...)")
    quiz.add_argument("--paper", choices=("a4", "letter"), default="a4")
    quiz.add_argument("--landscape", action="store_true")
    quiz.add_argument("--format", choices=("pdf", "svg", "png"), help="default: from the output's suffix")
    quiz.add_argument("--frame", choices=("points", "body"), default=None,
                      help="frame each view on the lesson's points (the lesson's own choice, else points)")

    commands.add_parser("validate", parents=[data], help="check a data folder and report every problem")
    calibrate = commands.add_parser(
        "calibrate", parents=[data],
        help="print placements.csv (or landmarks.csv) with every derived position worked out again "
             "(after moving a landmark, a camera or the body, or redrawing a silhouette)")
    calibrate.add_argument("--table", choices=TABLE_CHOICES, default="placements",
                           help="which table to print (default: placements)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    switched = None
    try:
        if args.command == "calibrate":
            return _write(recalibrated(args.data or default_data_dir(), args.table))
        atlas = load_atlas(args.data)
        lang = supported(args.lang, atlas.languages)
        if lang is None:
            raise QueryError(f"--lang {args.lang!r} is not one of: {', '.join(atlas.languages)}")
        # Messages are in the chosen language from here on, errors included.
        switched = switch(lang)
        return _COMMANDS[args.command](localize(atlas, lang), args)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        count = len(error.problems)
        print("bodymap: " + ngettext("{count} problem in the data; fix it and run 'bodymap validate'",
                                     "{count} problems in the data; fix them and run 'bodymap validate'",
                                     count).format(count=count), file=sys.stderr)
        return EXIT_USAGE
    except LessonError as error:
        print("\n".join(error.problems), file=sys.stderr)
        count = len(error.problems)
        file = getattr(args, "file", None) or getattr(args, "spec", None) or "FILE"
        print("bodymap: " + ngettext("{count} problem in the lesson; fix it and run 'bodymap lesson check {file}'",
                                     "{count} problems in the lesson; fix them and run 'bodymap lesson check {file}'",
                                     count).format(count=count, file=file), file=sys.stderr)
        return EXIT_USAGE
    except (QueryError, ExportError) as error:
        print(f"bodymap: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # Output piped into `head` and closed early is not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # a bug: say so plainly rather than dump a traceback on a reader
        if os.environ.get("BODYMAP_DEBUG"):
            raise
        print("bodymap: " + _("unexpected error ({error}); please report it, and set BODYMAP_DEBUG=1 to see the "
                              "details").format(error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 1
    finally:
        if switched is not None:
            restore(switched)


def _write(text: str) -> int:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _points(atlas: Atlas, args) -> int:
    result = query(atlas, meridians=args.meridian, conditions=args.condition, views=args.view,
                   categories=args.category, search=args.search)
    searched = bool(args.search.strip())
    if args.format == "json":
        records = [point_record(atlas, m, include_match=searched, include_rank=bool(args.condition))
                   for m in result.matches]
        return _write(json.dumps(records, ensure_ascii=False, indent=2))
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["code", "meridian", "number", "pinyin", "hanzi", "english", "laterality", "conditions", "views",
                         "categories"])
        for m in result.matches:
            p = m.point
            writer.writerow([p.code, p.meridian, p.number or "", p.pinyin, p.hanzi, p.english, p.laterality,
                             ";".join(p.conditions), ";".join(dict.fromkeys(pl.view for pl in p.placements)),
                             ";".join(f"{c.category}:{c.of}" if c.of else c.category for c in p.categories)])
        return _write(buffer.getvalue())
    if not result.matches:
        return _write(_("no points match"))
    headers = ["code", "pinyin", "hanzi", "english", "meridian"]
    rows = [[m.point.code, m.point.pinyin, m.point.hanzi, m.point.english, m.point.meridian] for m in result.matches]
    if args.condition:
        headers.append("serves")
        rows = [row + [f"{m.rank}/{len(args.condition)}"] for row, m in zip(rows, result.matches)]
    if args.category:
        headers.append("categories")
        rows = [row + ["; ".join(category_text(atlas, c, compact=True) for c in m.point.categories)]
                for row, m in zip(rows, result.matches)]
    if searched:
        headers.append("match")
        rows = [row + [_explain(m)] for row, m in zip(rows, result.matches)]
    return _write(_table(headers, rows))


def _explain(match: Match) -> str:
    return f"[{match.reading}] {match.how}" if match.reading else match.how


def _conditions(atlas: Atlas, args) -> int:
    records = [condition_record(atlas, c) for c in atlas.conditions.values()]
    if args.format == "json":
        return _write(json.dumps(records, ensure_ascii=False, indent=2))
    rows = [[r["id"], r["name"], r["group"], " ".join(r["points"])] for r in records]
    return _write(_table(["id", "name", "group", "points"], rows))


def _categories(atlas: Atlas, args) -> int:
    records = [category_record(atlas, c) for c in atlas.categories.values()]
    if args.format == "json":
        return _write(json.dumps(records, ensure_ascii=False, indent=2))
    rows = [[r["id"], r["name"], r["of"] or "–", " ".join(p["code"] for p in r["points"])] for r in records]
    return _write(_table(["id", "name", "of", "points"], rows))


def _views(atlas: Atlas, args) -> int:
    records = [view_record(v) for v in atlas.views.values()]
    if args.format == "json":
        return _write(json.dumps(records, ensure_ascii=False, indent=2))
    rows = [[r["id"], r["name"], " ".join(f"{n:g}" for n in r["viewBox"]), r["svg"]] for r in records]
    return _write(_table(["id", "name", "viewBox", "svg"], rows))


def _meridians(atlas: Atlas, args) -> int:
    records = [meridian_record(atlas, m) for m in atlas.meridians.values()]
    if args.format == "json":
        return _write(json.dumps(records, ensure_ascii=False, indent=2))
    rows = [[r["code"], r["names"]["english"], r["colour"], str(len(r["points"])), " ".join(sorted(r["pathways"]))]
            for r in records]
    return _write(_table(["code", "name", "colour", "points", "pathway views"], rows))


def _export(atlas: Atlas, args) -> int:
    from dataclasses import replace

    from .handout import HandoutSpec, in_language, render_pages
    from .handout.files import format_for, page_outputs, read_spec, write_all_atomically
    from .handout.spec import dated, select

    if args.spec and _is_lesson(args.spec):
        from .handout.lesson import render_lesson_pages

        lesson = load_lesson(atlas, args.spec)
        if args.output is None:
            raise ExportError(_("a lesson names no output file; add --output, e.g. --output {name}").format(
                name=args.spec.with_suffix(".pdf").name))
        fmt = format_for(args.output, args.format)
        pages = render_lesson_pages(atlas, lesson, paper=args.paper, landscape=args.landscape, table=args.table,
                                    format=fmt, frame=args.frame or "")
        files = list(zip(page_outputs(args.output, len(pages)), pages))
        write_all_atomically(files)
        for output, _data in files:
            print(_("wrote {path}").format(path=output), file=sys.stderr)
        return EXIT_OK
    if args.spec:
        jobs = read_spec(args.spec)
        if args.frame:
            jobs = [(replace(spec, frame=args.frame), output) for spec, output in jobs]
    elif args.all_conditions:
        if args.output is None:
            raise ExportError(_("--all-conditions needs --output DIR, the folder to write into"))
        if not args.output.is_dir():
            raise ExportError(_("{path} is not a folder; create it first or choose another --output").format(
                path=args.output))
        fmt = args.format or "pdf"
        jobs = [(HandoutSpec(conditions=(cid,), paper=args.paper, landscape=args.landscape, table=args.table,
                             format=fmt, frame=args.frame or "points"), args.output / f"{cid}.{fmt}")
                for cid in atlas.conditions]
    else:
        if args.output is None:
            raise ExportError(_("name the file to write with --output, e.g. --output sciatica.pdf"))
        views = tuple(v.strip() for v in args.views.split(",") if v.strip())
        jobs = [(HandoutSpec(conditions=tuple(args.condition), meridians=tuple(args.meridian),
                             points=tuple(args.point), categories=tuple(args.category), views=views, title=args.title,
                             subtitle=args.subtitle, paper=args.paper, landscape=args.landscape, table=args.table,
                             format=format_for(args.output, args.format), frame=args.frame or "points"), args.output)]
    # Every handout is rendered before any is written, so a bad one leaves no files behind; an SVG or
    # PNG handout of several pages is written as NAME.svg, NAME-2.svg, ... all of them or none.
    files = []
    for spec, output in jobs:
        with in_language(atlas, spec.lang) as local:  # a spec's own `lang`, else --lang
            pages = render_pages(local, select(local, dated(spec)))
        files.extend(zip(page_outputs(output, len(pages)), pages))
    write_all_atomically(files)
    for output, _data in files:
        print(_("wrote {path}").format(path=output), file=sys.stderr)
    return EXIT_OK


def _is_lesson(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_PEEK)
    except OSError:
        return False  # read_spec reports why the file cannot be read
    return looks_like_lesson(head.decode("utf-8", "replace"))


MAX_PEEK = 1_000_000


def _lesson(atlas: Atlas, args) -> int:
    lesson = load_lesson(atlas, args.file)
    if args.lesson_command == "link":
        if not args.base.startswith(("http://", "https://")):
            raise ExportError(_("--base {base}: give the app's address, like http://127.0.0.1:8050/").format(
                base=repr(args.base)))
        return _write(lesson_url(lesson, args.base, "quiz" if args.quiz else ""))
    views = ", ".join(lesson.views) if lesson.views else _("chosen for the points")
    count = len(lesson.points)
    _write(ngettext("ok: {title}: {count} point ({codes}); views: {views}",
                    "ok: {title}: {count} points ({codes}); views: {views}", count).format(
        title=repr(lesson.title), count=count, codes=" ".join(lesson.codes), views=views))
    try:
        encode_lesson(lesson)  # said now rather than when the teacher shares it
    except LessonError as error:
        print(_("note: {problem} (it still makes a handout and a quiz)").format(problem=error), file=sys.stderr)
    return EXIT_OK


def _quiz(atlas: Atlas, args) -> int:
    from .handout.files import format_for, write_all_atomically
    from .handout.lesson import quiz_outputs, render_quiz

    lesson = load_lesson(atlas, args.spec)
    fmt = format_for(args.output, args.format)
    files = render_quiz(atlas, lesson, paper=args.paper, landscape=args.landscape, format=fmt,
                        frame=args.frame or "")
    outputs = quiz_outputs(args.output, fmt, len(files))
    write_all_atomically(list(zip(outputs, files)))
    for output in outputs:
        print(_("wrote {path}").format(path=output), file=sys.stderr)
    return EXIT_OK


def _validate(atlas: Atlas, args) -> int:
    channel = sum(1 for p in atlas.points.values() if atlas.meridians[p.meridian].kind == "channel")
    drawn = [v for v in atlas.views.values() if v.cameras and not v.region_of]
    regions = [v for v in atlas.views.values() if v.region_of]
    placements = sum(len(layer.codes) for vid, layer in atlas.layers.items() if not atlas.views[vid].region_of)
    if atlas.body is None:
        body = "no body (no cameras.csv): views are 2D drawings, and the 3D checks do not apply"
    else:
        lifted = sum(1 for p in atlas.points.values() for pl in p.placements
                     if pl.xyz is not None and not atlas.views[pl.view].region_of)
        body = (f"{len(drawn)} of {len(atlas.views) - len(regions)} views drawn from the body; {lifted} placements "
                f"meet it at one spot per point")
    if regions:
        body += f"; {len(regions)} regions ({', '.join(v.id for v in regions)})"
    return _write(
        f"ok: {len(atlas.points)} points ({channel} on channels, {len(atlas.points) - channel} extra), "
        f"{len(atlas.meridians)} meridians, {len(atlas.views) - len(regions)} views, {placements} placements, "
        f"{len(atlas.conditions)} conditions, {len(atlas.links)} condition links, "
        f"{sum(len(p.categories) for p in atlas.points.values())} special-point assignments in "
        f"{len(atlas.categories)} categories, {len(atlas.trials)} trials, "
        f"{len(atlas.sources)} sources in {atlas.data_dir}\n{body}\n{_languages(atlas)}"
    )


def _languages(atlas: Atlas) -> str:
    """How complete each language is, a row a language (English is the reference)."""
    def share(done: tuple[int, int]) -> str:
        have, total = done
        return f"{have}/{total}" + ("" if have == total else f" ({100 * have // max(total, 1)}%)")

    rows = [[r["lang"], r["native"], share(r["strings"]), share(r["points"]), share(r["conditions"]),
             share(r["cautions"])] for r in coverage(atlas)]
    return "languages:\n" + _table(["lang", "name", "strings", "points", "conditions", "cautions"], rows)


def _serve(atlas: Atlas, args) -> int:
    if not 1 <= args.workers <= 64:
        raise QueryError(f"--workers {args.workers}: give a number from 1 to 64")
    print(f"bodymap: serving on http://{args.host}:{args.port}/ with {args.workers} worker(s) (Ctrl+C stops it). "
          f"{ILLUSTRATIVE_NOTICE}", file=sys.stderr)
    if args.workers > 1:
        from .app.wsgi import run

        run(atlas, args.host, args.port, args.workers)
        return EXIT_OK
    from .app import create_app  # dash is only needed to serve

    app = create_app(atlas)
    try:
        app.run(host=args.host, port=args.port, debug=False)
    except OSError as error:
        print(f"bodymap: cannot listen on {args.host}:{args.port} ({error.strerror or error}); "
              "choose another --port or stop what is using it", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    return EXIT_OK


_COMMANDS = {
    "serve": _serve,
    "points": _points,
    "conditions": _conditions,
    "categories": _categories,
    "views": _views,
    "meridians": _meridians,
    "export": _export,
    "lesson": _lesson,
    "quiz": _quiz,
    "validate": _validate,
}


def run() -> None:
    """Console entry point: exit with main()'s status."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
