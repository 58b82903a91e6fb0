"""Shared by the benchmarks: starting an app (a free loopback port, and the wait until it answers), and
timing a call."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

BODYMAP = [sys.executable, "-m", "bodymap", "serve", "--port", "{port}"]


def start(command: list[str], name: str = "the app"):
    """Run ``command`` with ``{port}`` filled in by a free port.

    Returns (process, url, seconds until the app answered).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    began = time.perf_counter()
    process = subprocess.Popen([part.format(port=port) for part in command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(1500):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return process, url, time.perf_counter() - began
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.02)
    process.kill()
    raise SystemExit(f"{name} did not start")


def timed(function) -> float:
    """Seconds one call of ``function`` takes."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started
