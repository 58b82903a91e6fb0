"""The 3D view's panel, and the two things it loads when first shown: the scene
(the body's mesh, the points, the channels) and plotly.js's gl3d bundle.

A first visit that never opens the 3D view downloads neither. The browser side
is ``assets/scene.js``; it filters the scene with the same masks as the 2D views.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from functools import lru_cache
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import html
from flask import Response, request

from ..i18n import N_, _, activate, current, localize
from ..model import Atlas
from .ids import ID, panel_id, summary_id
from .state import SCENE_VIEW

SCENE_NAME = N_("3D body")
SCENE_URL = "/_bodymap/scene.json"
GL3D_URL = "/_bodymap/plotly-gl3d.min.js"
# Fetched by `make` from the npm registry, matched to the installed plotly's plotly.js.
GL3D_BUNDLE = Path(__file__).resolve().parent / "gl3d" / "plotly-gl3d.min.js"
# The camera buttons of the 3D view: (camera, label); the labels are translated where shown.
CAMERA_BUTTONS = (
    # TRANSLATORS: a button that turns the 3D body to show its front.
    ("front", N_("Front")),
    # TRANSLATORS: a button that turns the 3D body to show its back (the body's back, not "go back").
    ("back", N_("Back")),
    ("left", N_("Patient's left")),
    ("right", N_("Patient's right")),
    # TRANSLATORS: a button that turns the 3D body to show it from above.
    ("top", N_("Top")),
)


def has_scene(atlas: Atlas) -> bool:
    """Whether the atlas has a body to show in 3D (a data folder drawn in 2D only has none)."""
    return atlas.body is not None


def gl3d_bundle() -> Path:
    """The plotly.js bundle with 3D traces: the gl3d one `make` fetched, else plotly's full bundle."""
    if GL3D_BUNDLE.is_file():
        return GL3D_BUNDLE
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def panel(atlas: Atlas, *, basic: bool) -> html.Section:
    """The 3D view's panel: its name, a summary, camera buttons and the empty plot the browser fills.

    ``basic``: the page runs plotly.js's basic bundle, so the 3D view must fetch the gl3d one; with
    the full bundle it uses the page's own.
    """
    buttons = [html.Button(_(label), type="button", className="btn btn-outline-secondary btn-sm",
                           **{"data-camera": key}) for key, label in CAMERA_BUTTONS]
    buttons.append(html.Button(_("Turn to the selected point"), type="button", id=ID.SCENE_TURN, disabled=True,
                               className="btn btn-outline-primary btn-sm", **{"data-camera": "selected"}))
    return html.Section(
        [html.H2(_(SCENE_NAME), className="h6 mb-0 ps-1", id=f"{panel_id(SCENE_VIEW)}-title"),
         html.P(id=summary_id(SCENE_VIEW), className="view-summary small text-muted mb-0 ps-1"),
         html.Div(buttons, className="scene-cameras d-flex flex-wrap gap-1 px-1 my-1", role="group",
                  **{"aria-label": _("Turn the 3D body")}),
         html.Div(id=ID.SCENE, className="scene-plot", role="img",
                  **{"aria-label": _("The body in 3D with the matching points; drag to turn it. "
                                     "The list of points below holds the same points."),
                     "data-scene-url": scene_url(atlas, atlas.lang),
                     "data-bundle-url": GL3D_URL if basic else ""}),
         dbc.Alert(id=ID.SCENE_PROBLEM, color="warning", is_open=False, className="py-1 small mt-1")],
        id=panel_id(SCENE_VIEW), className="view-panel scene-panel is-hidden",
        **{"data-view": SCENE_VIEW, "data-scene": "1", "aria-labelledby": f"{panel_id(SCENE_VIEW)}-title",
           "aria-describedby": summary_id(SCENE_VIEW)},
    )


def scene_version(atlas: Atlas) -> str:
    """Changes whenever the scene would: the body and the data folder's tables."""
    digest = hashlib.sha256(atlas.body.digest.encode() if atlas.body is not None else b"")
    for path in sorted(Path(atlas.data_dir).glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:16]


def scene_url(atlas: Atlas, lang: str) -> str:
    """Where a page in ``lang`` gets its scene: its hover labels are in the page's language, and the
    version lets a browser keep it for good."""
    return f"{SCENE_URL}?v={scene_version(atlas)}&lang={lang}"


class SceneCache:
    """The scene as JSON (and gzipped), built once per process and language (about half a second each)
    on first need."""

    def __init__(self, atlas: Atlas):
        self.atlas = atlas
        self.lock = threading.Lock()
        self.data: dict[str, tuple[bytes, bytes]] = {}

    def get(self, lang: str = "en") -> tuple[bytes, bytes]:
        with self.lock:
            if lang not in self.data:
                import plotly.io as pio

                from ..scene import scene_figure

                with activate(lang):
                    figure = scene_figure(localize(self.atlas, lang))
                plain = pio.to_json(figure, validate=False).encode()
                self.data[lang] = (plain, gzip.compress(plain, 6))
            return self.data[lang]

    def get_all(self) -> None:
        """Every language's scene (before gunicorn forks, so the workers share them)."""
        for lang in self.atlas.languages:
            self.get(lang)

    def warm(self, lang: str = "en") -> None:
        """Build the scene in the background, so the first visitor to open 3D does not wait."""
        if lang not in self.data:
            threading.Thread(target=self.get, args=(lang,), daemon=True, name="bodymap-scene").start()


@lru_cache(maxsize=2)
def _bundle_bytes(path: str) -> tuple[bytes, bytes]:
    plain = Path(path).read_bytes()
    return plain, gzip.compress(plain, 6)


def _send(plain: bytes, packed: bytes, mimetype: str, cache_control: str) -> Response:
    """A large, unchanging body, gzipped once rather than on every request."""
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        return Response(packed, mimetype=mimetype, headers=dict(headers, **{"Content-Encoding": "gzip"}))
    return Response(plain, mimetype=mimetype, headers=headers)


SCENE_CACHE = "bodymap.scene"  # where a Flask app keeps its SceneCache, for the server's start-up


def register(app, atlas: Atlas) -> SceneCache:
    """The scene's and the gl3d bundle's routes."""
    cache = app.server.extensions[SCENE_CACHE] = SceneCache(atlas)
    version = scene_version(atlas) if has_scene(atlas) else ""

    @app.server.route(SCENE_URL)
    def scene_json():
        if not has_scene(atlas):
            return Response(_("This data folder has no body, so there is no 3D view.") + "\n", status=404,
                            mimetype="text/plain")
        # The link carries the version, so a browser may keep the scene as long as it likes.
        cached = request.args.get("v") == version
        return _send(*cache.get(current()), "application/json",
                     "public, max-age=31536000, immutable" if cached else "no-cache")

    @app.server.route(GL3D_URL)
    def gl3d():
        return _send(*_bundle_bytes(str(gl3d_bundle())), "text/javascript", "public, max-age=86400")

    @app.server.before_request
    def warm_scene():
        if has_scene(atlas) and request.path == "/":
            cache.warm(current())

    return cache
