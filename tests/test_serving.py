"""Production serving: several gunicorn workers on loopback."""

import urllib.error
import urllib.request

from conftest import running_server


def test_several_workers_answer_alike():
    """`bodymap serve --workers 2`: callbacks keep no state, so any worker answers any request."""
    import json

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
