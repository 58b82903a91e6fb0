"""The Dash app: layout and callbacks over one loaded atlas."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import replace
from importlib import resources
from pathlib import Path

from dash import Dash, dcc
from flask import Response, request
from werkzeug.exceptions import HTTPException
from flask_compress import Compress

from ..model import Atlas
from ..i18n import activate, current, localize
from . import callbacks, language, layout, scene
from .exporter import Exporter

__all__ = ["EXPORTER", "LAYOUTS", "create_app"]

# Bootstrap's stylesheet is served from the installed bootstrap-flask package,
# so the page looks right on a school intranet with no internet access.
BOOTSTRAP_CSS_URL = "/_bodymap/bootstrap.min.css"
# Bootstrap's own script runs the filters' drawer on a phone (focus, Escape, backdrop).
BOOTSTRAP_JS_URL = "/_bodymap/bootstrap.min.js"
EXPORT_URL = "/_bodymap/export"
SCENE_IN_LANGUAGE = "__bodymap_scene_url__"
# Callback requests are a few kilobytes; anything far larger is not from the page.
MAX_REQUEST_BYTES = 256 * 1024
log = logging.getLogger("bodymap.app")
# One export at a time per process; the rest wait their turn, up to a limit.
EXPORT_SLOTS = threading.BoundedSemaphore(1)
EXPORT_WAIT_S = 30
# Where a Flask app keeps its Exporter (the handouts' own process), for the server's hooks.
EXPORTER = "bodymap.exporter"
# Where a Flask app keeps the function that makes every language's layout ahead of time.
LAYOUTS = "bodymap.layouts"
ASSETS = Path(__file__).resolve().parent / "assets"
PLOTLY_BASIC = ASSETS / "plotly-basic.min.js"
# `BODYMAP_PLOTLY=full` serves plotly's full bundle even where `make` fetched the
# basic one: the configuration of a machine without npm, kept testable.
PLOTLY_ENV = "BODYMAP_PLOTLY"
INDEX = """<!DOCTYPE html>
<html lang="en">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
<body>{%app_entry%}{%config%}{%scripts%}{%renderer%}</body>
</html>"""


def _bootstrap(path: str) -> bytes:
    return resources.files("flask_bootstrap").joinpath("static/bootstrap5", path).read_bytes()


def basic_bundle() -> bool:
    """Whether the page uses plotly.js's basic bundle rather than dash's full one."""
    return PLOTLY_BASIC.is_file() and os.environ.get(PLOTLY_ENV, "").lower() != "full"


def create_app(atlas: Atlas) -> Dash:
    """A ready Dash app showing ``atlas``; its WSGI server is ``app.server``."""
    basic = basic_bundle()
    app = Dash(
        __name__,
        title="bodymap",
        external_stylesheets=[BOOTSTRAP_CSS_URL],
        external_scripts=[BOOTSTRAP_JS_URL],
        assets_folder=str(ASSETS),
        assets_ignore="" if basic else re.escape(PLOTLY_BASIC.name),
        serve_locally=True,
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX
    if scene.has_scene(atlas):
        # A link straight to the 3D view starts fetching it before the layout arrives (assets/scene.js).
        # (The scene's address names the page's language: filled in for each page below.)
        urls = json.dumps({"bundle": scene.GL3D_URL if basic else "", "scene": SCENE_IN_LANGUAGE})
        # A link straight to the 3D view starts downloading it from the page's head, while the
        # page's own scripts still load (assets/scene.js takes these downloads over).
        early = ("<script>window.bodymapSceneUrls = " + urls + ";"
                 "(function (u) { if (!/[?&]view=[^&#]*\\b3d\\b/.test(location.search)) { return; }"
                 " function got(kind) { return function (r) { if (!r.ok) { throw new Error(r.status); }"
                 " return kind === 'json' ? r.json() : r.text(); }; }"
                 " var early = window.bodymapSceneEarly = {"
                 " bundle: u.bundle ? fetch(u.bundle).then(got('text')) : null,"
                 " scene: fetch(u.scene).then(got('json')) };"
                 " [early.bundle, early.scene].forEach(function (p) { if (p) { p.catch(function () {}); } });"
                 "})(window.bodymapSceneUrls);</script>")
        app.index_string = INDEX.replace("</head>", early + "</head>")
    if basic:
        # The assets folder brings plotly.js's basic bundle; drop dash's own full bundle
        # so the browser does not download both (dash registers it on every Dash()).
        dcc._js_dist[:] = [d for d in dcc._js_dist if d.get("namespace") != "plotly"]
    # gzip every response: the first visit is mostly JavaScript, which shrinks to a third.
    app.server.config.update(COMPRESS_MIN_SIZE=500, COMPRESS_ALGORITHM=["gzip"])
    Compress(app.server)
    css, js = _bootstrap("css/bootstrap.min.css"), _bootstrap("js/bootstrap.min.js")
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    exporter = app.server.extensions[EXPORTER] = Exporter(atlas)

    @app.server.errorhandler(Exception)
    def refuse(error):
        # A request the page would never send (malformed JSON, unknown outputs,
        # wrong shapes) gets a plain 400, not a 500 with a stack trace in the log.
        if isinstance(error, HTTPException):
            return Response(f"{error.code} {error.name}\n", status=error.code, mimetype="text/plain")
        if request.path.startswith("/_dash-update-component"):
            log.warning("refused a malformed callback request (%s)", type(error).__name__)
            return Response("400 Bad Request: not a request this page sends\n", status=400, mimetype="text/plain")
        log.error("error on %s: %s: %s", request.path, type(error).__name__, error)
        return Response("500 Internal Server Error\n", status=500, mimetype="text/plain")

    @app.server.after_request
    def cache_favicon(response):
        # Browsers ask for the icon again whenever a shared link's URL changes.
        if request.path == "/_favicon.ico" and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @app.server.route(BOOTSTRAP_CSS_URL)
    def bootstrap_css():
        return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=86400"})

    @app.server.route(BOOTSTRAP_JS_URL)
    def bootstrap_js():
        return Response(js, mimetype="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    @app.server.route(EXPORT_URL)
    def export_handout():
        # A plain GET link, so the browser downloads the file itself; the link
        # carries the page's state, and the server rebuilds it with the same query.
        from ..handout import ExportError, ExportTimeout
        from ..handout.spec import default_title, file_stem
        from .state import EXPORT_SUFFIXES, export_spec, lesson_export

        query = request.query_string.decode("utf-8", "replace")
        try:
            lesson = lesson_export(atlas, query)  # a lesson shown alone prints as the lesson's handout
            spec = None if lesson else export_spec(atlas, query)
            # The handout is in the page's language unless the link names another.
            if lesson and not lesson[1]["lang"]:
                lesson[1]["lang"] = lesson[0].lang or current()
            if spec and not spec.lang:
                spec = replace(spec, lang=current())
        except ExportError as error:
            return Response(f"Cannot export: {error}\n", status=400, mimetype="text/plain")
        if not EXPORT_SLOTS.acquire(timeout=EXPORT_WAIT_S):
            return Response("Exports are busy: please try again in a moment.\n", status=503, mimetype="text/plain",
                            headers={"Retry-After": "10"})
        try:
            data = exporter.render(lesson if lesson else spec)
        except ExportTimeout as error:
            return Response(f"Cannot export right now: {error}\n", status=503, mimetype="text/plain",
                            headers={"Retry-After": "10"})
        except ExportError as error:
            return Response(f"Cannot export: {error}\n", status=400, mimetype="text/plain")
        except RuntimeError as error:
            # The export process failed; the next export starts a new one.
            log.error("export failed: %s", error)
            return Response("Cannot export right now; please try again in a moment.\n", status=503,
                            mimetype="text/plain", headers={"Retry-After": "10"})
        finally:
            EXPORT_SLOTS.release()
        # The file is named after the page's (or the lesson's) title.
        title = lesson[0].title if lesson else spec.title or default_title(atlas, spec)
        suffix = lesson[1]["format"] if lesson else spec.format
        name = file_stem(title)
        if data[:4] == b"PK\x03\x04":  # an SVG or PNG handout of several pages: its pages in a ZIP
            return Response(data, mimetype="application/zip",
                            headers={"Content-Disposition": f'attachment; filename="{name}-{suffix}.zip"'})
        return Response(data, mimetype=EXPORT_SUFFIXES[suffix],
                        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'})

    language.install(app.server, atlas)
    pages: dict[str, object] = {}

    def page():
        # One layout per language, made when first asked for (Dash asks once with no request,
        # to check the callbacks, and then for every page).
        lang = current()
        if lang not in pages:
            pages[lang] = layout.build(localize(atlas, lang), basic=basic)
        return pages[lang]

    # A layout made per request would otherwise be copied whole into every page's config (Dash's
    # validation layout for function layouts): 145 kB more on a first visit. The callbacks are checked
    # by the tests instead, in a real browser.
    app.config.suppress_callback_exceptions = True
    app.layout = page

    def warm_layouts():
        # Every language's layout, made once before gunicorn forks (about half a second each).
        for lang in atlas.languages:
            with activate(lang):
                page()

    app.server.extensions[LAYOUTS] = warm_layouts
    # The default language's page is made now, as a fixed layout would be: the first visitor of a
    # freshly started server then waits for no layout to be made.
    with activate(atlas.lang):
        page()

    def interpolate_index(**parts):
        html_text = Dash.interpolate_index(app, **parts)
        lang = current()
        if scene.has_scene(atlas):
            html_text = html_text.replace(SCENE_IN_LANGUAGE, scene.scene_url(atlas, lang), 1)
        return html_text.replace('<html lang="en">', f'<html lang="{lang}">', 1).replace(
            "</head>", language.page_texts() + "</head>", 1)

    app.interpolate_index = interpolate_index
    callbacks.register(app, atlas)
    scene.register(app, atlas)
    return app
