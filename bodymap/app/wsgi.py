"""Serving the app with several worker processes (gunicorn).

Callbacks keep no state in process memory (the page's state lives in the
browser and its URL), so any worker can answer any request.

    gunicorn --workers 2 --bind 127.0.0.1:8050 "bodymap.app.wsgi:server"

``BODYMAP_DATA`` points the workers at a data folder of your own.
"""

from __future__ import annotations

import os

from ..loader import load_atlas
from . import EXPORTER, LAYOUTS, create_app
from .scene import SCENE_CACHE

# Export requests run a converter with its own time limit; a worker silent for
# longer than this is stuck and gunicorn replaces it.
WORKER_TIMEOUT_S = 90
THREADS = 4


def _server():
    server = create_app(load_atlas(os.environ.get("BODYMAP_DATA") or None)).server
    server.extensions[LAYOUTS]()
    return server


def run(atlas, host: str, port: int, workers: int) -> None:
    """Serve with gunicorn: the app is built once and shared by the forked workers."""
    from gunicorn.app.base import BaseApplication

    app = create_app(atlas).server
    exporter = app.extensions[EXPORTER]
    if atlas.body is not None:
        # The 3D scene is built once here, before the fork, and the workers share it.
        app.extensions[SCENE_CACHE].get_all()
    app.extensions[LAYOUTS]()  # so is each language's page

    def post_fork(_server, _worker):
        # Each worker's export process is forked now, while the worker has one
        # thread; a fork from a threaded process could copy a lock another thread holds.
        exporter.start()

    class _Application(BaseApplication):
        def load_config(self):
            # Threads let a worker answer callbacks while one of its requests waits on
            # an export's converter process.
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "timeout": WORKER_TIMEOUT_S,
                               "worker_class": "gthread", "threads": THREADS,
                               "graceful_timeout": 10, "preload_app": True, "accesslog": None,
                               "errorlog": "-", "loglevel": "warning", "post_fork": post_fork}.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    _Application().run()


def __getattr__(name: str):
    # `gunicorn bodymap.app.wsgi:server` builds the app when gunicorn asks for it.
    if name == "server":
        return _server()
    raise AttributeError(name)
