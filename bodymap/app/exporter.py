"""Handouts made in a process of their own, at a lower priority than the app.

Drawing a handout's page is 20 to 70 ms of Python, and its converter runs
longer still. Done in a worker's own process, that Python holds the
interpreter lock the worker's other threads need to answer the class's
clicks, at the same CPU priority as they have. Here each worker process
hands its exports to one small export process of its own, forked from it (so
it shares the loaded atlas and starts at once) and niced, so the converter it
starts is niced too: while a class clicks, the clicks come first.

The export process answers one handout at a time; the worker keeps at most
one export in flight (see ``EXPORT_SLOTS`` in ``bodymap.app``). It ends when
its worker does: it reads requests from a pipe whose other end only the
worker holds, and stops at the end of the pipe.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

from ..handout import ExportError, ExportTimeout, HandoutSpec, render_handout
from ..handout import CONVERT_TIMEOUT_S
from ..model import Atlas

__all__ = ["Exporter", "EXPORT_NICE"]

EXPORT_NICE = 10
# The converter stops itself after CONVERT_TIMEOUT_S; this is the bound on the
# whole export, page and converter, if the export process itself goes astray.
RESULT_TIMEOUT_S = CONVERT_TIMEOUT_S + 15
# Signals a worker handles its own way; the export process takes the defaults,
# so stopping it (or its worker's process group) stops it.
_RESET = ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGTTIN", "SIGTTOU", "SIGCHLD")


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):
        return 65536


def _serve(atlas: Atlas, requests, worker_end) -> None:
    """The export process: render each spec that arrives, send back bytes or the error."""
    worker_end.close()  # only the worker holds its end: when the worker goes, recv() ends
    # Close every other descriptor the fork copied (the worker's listening and
    # client sockets, pipes to its other children): a copy held here would keep
    # them open after the worker closes them, and a client or child waiting for
    # the end of one would wait for this process instead.
    keep = requests.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, _max_fd())
    for name in _RESET:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    os.nice(EXPORT_NICE)
    while True:
        try:
            spec = requests.recv()
        except (EOFError, OSError):
            return
        try:
            if isinstance(spec, HandoutSpec):
                answer = ("ok", render_handout(atlas, spec))
            else:  # a lesson shown alone: (lesson, options) for its own handout
                from ..handout.lesson import render_lesson

                lesson, options = spec
                answer = ("ok", render_lesson(atlas, lesson, **options))
        except ExportTimeout as error:
            answer = ("timeout", str(error))
        except ExportError as error:
            answer = ("refused", str(error))
        except Exception as error:  # noqa: BLE001 - reported to the worker, which logs it
            answer = ("failed", f"{type(error).__name__}: {error}")
        requests.send(answer)


class Exporter:
    """Renders handouts in this process's export process, started on first use
    (and again after a fork or a failure)."""

    def __init__(self, atlas: Atlas):
        self._atlas = atlas
        self._lock = threading.Lock()
        self._process = None
        self._connection = None
        self._pid = None

    @property
    def pid(self) -> int | None:
        """The export process's id while it runs for this process, else None."""
        alive = self._process is not None and self._pid == os.getpid() and self._process.is_alive()
        return self._process.pid if alive else None

    def start(self) -> None:
        """Start the export process now, if it is not running (e.g. right after a
        worker is forked, before it starts threads)."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> None:
        if self.pid is not None:
            return
        if self._pid == os.getpid():
            self._stop()  # ended or failed: a new one below
        # A process forked from ours inherits these objects, but not the export process.
        context = multiprocessing.get_context("fork")
        worker_end, export_end = context.Pipe()
        process = context.Process(target=_serve, args=(self._atlas, export_end, worker_end), daemon=True,
                                  name="bodymap-export")
        process.start()
        export_end.close()
        self._process, self._connection, self._pid = process, worker_end, os.getpid()

    def _stop(self) -> None:
        if self._process is not None and self._pid == os.getpid():
            self._process.kill()
            self._process.join(5)
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def render(self, spec) -> bytes:
        """The handout's bytes, for a :class:`HandoutSpec` or a ``(lesson, options)`` pair (the
        lesson's own handout). Raises ExportError (bad options), ExportTimeout (try again later),
        or RuntimeError (the export process failed)."""
        with self._lock:  # one export in flight per process; callers also queue on EXPORT_SLOTS
            self._ensure()
            try:
                self._connection.send(spec)
                if not self._connection.poll(RESULT_TIMEOUT_S):
                    self._stop()
                    raise ExportTimeout(f"the export took longer than {RESULT_TIMEOUT_S} s; try again")
                kind, value = self._connection.recv()
            except (EOFError, OSError, BrokenPipeError) as error:
                self._stop()
                raise RuntimeError(f"the export process ended unexpectedly ({type(error).__name__})") from None
        if kind == "ok":
            return value
        if kind == "timeout":
            raise ExportTimeout(value)
        if kind == "refused":
            raise ExportError(value)
        raise RuntimeError(value)
