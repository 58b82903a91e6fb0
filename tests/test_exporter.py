"""Handouts from the app are made in a process of their own, at a lower priority."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bodymap.app import EXPORTER, create_app
from bodymap.app.exporter import EXPORT_NICE, Exporter
from bodymap.handout import ExportError, HandoutSpec

EXPORT = "/_bodymap/export?view=back&condition=sciatica&format=svg"


def ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie has ended; only its parent's reaping is left


def wait_ended(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not ended(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_exports_are_made_in_a_niced_process_of_their_own(atlas):
    exporter = Exporter(atlas)
    assert exporter.pid is None  # started on first use
    svg = exporter.render(HandoutSpec(conditions=("sciatica",), views=("back",), format="svg"))
    assert svg.lstrip().startswith(b"<") and b"<svg" in svg[:4000] and b"BL40" in svg
    pid = exporter.pid
    assert pid is not None and pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + EXPORT_NICE)
    pdf = exporter.render(HandoutSpec(conditions=("sciatica",), views=("back", "side"), format="pdf"))
    assert pdf.startswith(b"%PDF") and exporter.pid == pid  # the same process answers every export


def test_a_refused_export_names_the_problem_and_the_process_goes_on(atlas):
    exporter = Exporter(atlas)
    try:
        exporter.render(HandoutSpec(conditions=("sciatica",), views=("no-such-view",), format="svg"))
        raise AssertionError("an unknown view was accepted")
    except ExportError as error:
        assert "no-such-view" in str(error)
    pid = exporter.pid
    assert pid is not None
    assert exporter.render(HandoutSpec(conditions=("sciatica",), format="svg")).lstrip().startswith(b"<")
    assert exporter.pid == pid


def test_a_killed_export_process_is_replaced_before_the_next_export(atlas):
    app = create_app(atlas).server
    client = app.test_client()
    assert client.get(EXPORT).status_code == 200
    first = app.extensions[EXPORTER].pid
    os.kill(first, signal.SIGKILL)
    assert wait_ended(first)
    again = client.get(EXPORT)
    assert again.status_code == 200 and b"<svg" in again.data[:4000]
    assert app.extensions[EXPORTER].pid not in (None, first)


def test_an_export_process_dying_mid_export_gives_a_503_not_a_500(atlas, monkeypatch):
    from bodymap.app import exporter as exporter_module

    real = exporter_module.render_handout

    def dies_on_request(atlas, spec):
        if spec.title == "die":
            os._exit(1)  # as if the kernel had killed it halfway through
        return real(atlas, spec)

    monkeypatch.setattr(exporter_module, "render_handout", dies_on_request)  # before the fork: it inherits this
    app = create_app(atlas).server
    client = app.test_client()
    failed = client.get(EXPORT + "&title=die")
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "10"
    assert b"Traceback" not in failed.data and b"try again" in failed.data
    again = client.get(EXPORT)
    assert again.status_code == 200 and b"<svg" in again.data[:4000]


def test_the_export_process_keeps_none_of_its_workers_files_open(atlas):
    """A pipe the worker had open when it forked (say, to another child, or a
    client's socket) closes when the worker closes it, export process or not."""
    reader, writer = os.pipe()
    try:
        exporter = Exporter(atlas)
        # A first handout: the export process has started and settled in.
        assert exporter.render(HandoutSpec(conditions=("sciatica",), format="svg")).lstrip().startswith(b"<")
        beyond_stdio = [int(fd) for fd in os.listdir(f"/proc/{exporter.pid}/fd") if int(fd) > 2]
        assert len(beyond_stdio) == 1  # only its pipe to the worker
        os.close(writer)
        writer = None
        os.set_blocking(reader, False)
        assert os.read(reader, 1) == b""  # end of the pipe: no copy of the writer is left open
    finally:
        os.close(reader)
        if writer is not None:
            os.close(writer)


def test_the_export_process_ends_with_its_worker():
    """A worker killed outright (as gunicorn does with a stuck one) leaves no export process behind."""
    script = ("import os, sys\n"
              "from bodymap import load_atlas\n"
              "from bodymap.app.exporter import Exporter\n"
              "from bodymap.handout import HandoutSpec\n"
              "exporter = Exporter(load_atlas())\n"
              "exporter.render(HandoutSpec(conditions=('sciatica',), format='svg'))\n"
              "print(exporter.pid, flush=True)\n"
              "sys.stdin.read()\n")
    worker = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        pid = int(worker.stdout.readline())
        assert not ended(pid)
        worker.kill()
        worker.wait(10)
        assert wait_ended(pid), "the export process outlived its worker"
    finally:
        worker.kill()
