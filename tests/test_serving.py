"""Production serving: several gunicorn workers on loopback, and the load
benchmark's simulated users against them."""

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from conftest import running_server


def test_several_workers_answer_alike():
    """`bodymap serve --workers 2`: callbacks keep no state, so any worker answers any request."""

    with running_server("--workers", "2") as url:
        body = json.dumps({"output": "..filter-payload.data...search-note.children..",
                           "outputs": [{"id": "filter-payload", "property": "data"},
                                       {"id": "search-note", "property": "children"}],
                           "inputs": [{"id": "search-input", "property": "value", "value": "B54"}],
                           "changedPropIds": ["search-input.value"],
                           "state": [{"id": "url-applied", "property": "data", "value": True}]}).encode()
        answers = set()
        for _ in range(20):
            request = urllib.request.Request(url + "_dash-update-component", data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                answers.add(response.read())
        assert len(answers) == 1 and b"older bladder numbering" in answers.pop()
        # A few hundred malformed requests: each refused with a 4xx, and the workers still answer.
        for index in range(200):
            junk = [b"not json", b"{}", b'{"output": 5}', b"[]", bytes(range(index % 250))][index % 5]
            request = urllib.request.Request(url + "_dash-update-component", data=junk,
                                             headers={"Content-Type": "application/json"})
            try:
                urllib.request.urlopen(request, timeout=10)
                raise AssertionError("a malformed request was accepted")
            except urllib.error.HTTPError as error:
                assert 400 <= error.code < 500 and b"Traceback" not in error.read()
        request = urllib.request.Request(url + "_dash-update-component", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert b"older bladder numbering" in response.read()


def test_safe_defaults():
    from bodymap.cli import _parser

    args = _parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8050 and args.workers == 1


LOCUSTFILE = Path(__file__).resolve().parent.parent / "benchmarks" / "locustfile.py"


def locust(*options: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
                           "--loglevel", "WARNING", *options], capture_output=True, text=True, timeout=timeout)


def test_the_load_benchmark_sends_what_the_page_sends_and_the_app_accepts_it():
    """The Locust user of benchmarks/load.py does each of its actions once against
    real workers: every request is answered as the page expects, so the
    benchmark cannot drift away from the app unnoticed."""
    with running_server("--workers", "2") as url:
        done = locust("--host", url, "--users", "1", "--spawn-rate", "1", "--run-time", "90s", "--bodymap-once")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    requests = [line for line in lines if "request" in line]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert [r for r in requests if r["problem"]] == []
    kinds = {r["request"] for r in requests}
    assert kinds == {"open link", "search", "details", "url update", "url echo", "export pdf", "export svg",
                     "export png"}
    for r in requests:  # the URL's echo is the page's own write coming back: dash's 204, nothing new
        assert r["status"] == (204 if r["request"] == "url echo" else 200), r
    callbacks, exports = [line for line in lines if "users" in line]
    assert callbacks["errors"] == exports["errors"] == 0 and exports["kind"] == "export"
    assert [line for line in lines if line.get("kind") == "resent"] == [{"kind": "resent", "callbacks": 0, "export": 0}]
    assert callbacks["requests"] == sum(1 for r in requests if not r["request"].startswith("export")) > 10
    assert exports["requests"] == sum(1 for r in requests if r["request"].startswith("export")) >= 3


def test_the_load_benchmark_refuses_other_hosts_and_endless_runs():
    outside = locust("--host", "http://192.0.2.1:8050", "--users", "1", "--run-time", "5s", timeout=60)
    endless = locust("--host", "http://127.0.0.1:9", "--users", "1", timeout=60)
    assert outside.returncode != 0 and "only runs against loopback" in outside.stderr
    assert endless.returncode != 0 and "--run-time" in endless.stderr
    assert '"request"' not in outside.stdout + endless.stdout
