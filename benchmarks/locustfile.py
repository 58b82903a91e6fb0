"""A class using bodymap at once: Locust's simulated users on loopback.

Each user sends what the page in a browser sends the server (recorded from
headless Chromium): the link it opens, a search as it is typed (the search
box waits 0.3 s after a keystroke), the shareable-URL update after every
change and the URL's echo, a point's details, and a handout download about
every 20 s (in the background, as a browser downloads a link while the page
stays in use). Every answer is checked: a callback must answer 200 with the
outputs it was asked for (204 where the page expects nothing new), and a
handout must be the file asked for.

Usually started by ``benchmarks/load.py``, which starts the server as well;
by hand, against a running ``bodymap serve``::

    locust -f benchmarks/locustfile.py --headless --users 50 --spawn-rate 50 \\
        --run-time 60s --host http://127.0.0.1:8050

Bounded: it refuses a host other than loopback, a run without ``--run-time``
and a run longer than MAX_SECONDS. At the end it prints one JSON line for the
callbacks and one with "kind": "export":
{"users", "seconds", "requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors"}
and one with "kind": "resent": requests sent again, as a browser does, after
the server closed an idle kept-alive connection just as they went out.

``--bodymap-once`` makes each user do every action once (each filter, a
search, a point, a PDF, SVG and PNG handout) and stop; every request is then
printed as a JSON line, so a test can check the server accepts them all.
"""

from __future__ import annotations

import json
import random
import sys
import time
from urllib.parse import urlencode, urlsplit

import gevent
import gevent.pool
from geventhttpclient.response import HTTPConnectionClosed
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_SECONDS = 600
MAX_USERS = 500
CALLBACK = "/_dash-update-component"
EXPORT_EVERY_S = 20
SEARCH_DEBOUNCE_S = 0.3  # the search box sends its value after a pause this long
FORMATS = ("pdf", "svg", "png")
# Searches as a class types them: codes in other notations, names, hanzi.
SEARCHES = ["BL23", "UB-23", "B54", "Shen Shu", "肾俞", "Joining Valley", "GB", "ST36", "Ren12", "LIV3", "sciatica"]
LINKS = ["view=back,side&condition=sciatica", "view=back&condition=lower-back-pain", "view=front&condition=headache",
         "", "view=hand&meridian=LI", "view=back,side&condition=sciatica&point=BL40"]
# Handouts a class downloads: the page's state when a teacher chose them.
HANDOUTS = ["view=back,side&condition=sciatica", "view=back&condition=lower-back-pain",
            "view=front,side&condition=headache", "condition=insomnia", "view=back,side&condition=neck-pain",
            "view=front,side&condition=knee-pain", "view=hand&meridian=LI", "view=leg,foot&condition=ankle-pain"]
PAGE: "Page | None" = None  # what the server's page is made of, read once per run
SAMPLES: dict[str, list[tuple[float, bool]]] = {"callbacks": [], "export": []}
CLOCK = {"start": 0.0, "stop": 0.0}
CRASHES = []  # a user's code failing is an error too, though no request was answered
# A kept-alive connection the server closes (gunicorn after 2 s idle) just as a
# request goes out on it gets no answer; a browser then sends the request again
# on a new connection, and so does the simulated user. Counted, not hidden.
CLOSED = (HTTPConnectionClosed, ConnectionResetError, BrokenPipeError)
RESENT = {"callbacks": 0, "export": 0}


class Page:
    """The callbacks, controls and options of the page the server sends.

    Read from the server (``/_dash-dependencies`` and ``/_dash-layout``), so the
    requests follow the page if its callbacks or data change.
    """

    def __init__(self, dependencies: list[dict], layout: dict):
        def output(*needles: str) -> str:
            found = [d["output"] for d in dependencies if all(n in d["output"] for n in needles)]
            if len(found) != 1:
                raise RuntimeError(f"the page has no single callback writing {needles}: the benchmark needs updating")
            return found[0]

        self.restore = output("view-select.value", "url-note.children")
        self.search = output("filter-payload.data", "search-note.children")
        self.url_update = output("url-push.search", "url-written.data")
        # The controls the URL update reads, in the page's order.
        self.url_update_state = next(d["state"] for d in dependencies if d["output"] == self.url_update)
        self.details = output("point-details.children")
        self.details_inputs = next(d["inputs"] for d in dependencies if d["output"] == self.details)
        components = {}
        self._walk(layout, components)
        groups = [key for key in components if key.startswith("{")]
        self.group_ids = [json.loads(key) for key in groups]
        self.members = [[option["value"] for option in components[key]["options"]] for key in groups]
        self.conditions = [condition for members in self.members for condition in members]
        self.views = [option["value"] for option in components["view-select"]["options"]]
        self.meridians = list(components["meridian-select"]["value"])
        self.points = list(components["catalogue"]["data"]["codes"])

    @classmethod
    def _walk(cls, node, found: dict) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "id" in props:
                key = props["id"] if isinstance(props["id"], str) else json.dumps(props["id"], sort_keys=True)
                found[key] = props
            for value in node.values():
                cls._walk(value, found)
        elif isinstance(node, list):
            for value in node:
                cls._walk(value, found)


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--bodymap-once", action="store_true", default=False,
                        help="each user does every action once, prints each request as JSON, and stops")
    parser.add_argument("--export-every", type=float, default=EXPORT_EVERY_S, metavar="SECONDS",
                        help=f"each user downloads a handout about this often (default {EXPORT_EVERY_S}; 0: never)")


@events.init.add_listener
def _bounds(environment, **_):
    """Refuse, before anything is sent, a run that could hammer another host or never end."""
    options = environment.parsed_options
    if options is None:
        return  # driven as a library: the caller bounds the run
    problems = []
    if urlsplit(environment.host or "").hostname not in LOOPBACK:
        problems.append(f"--host {environment.host!r}: this benchmark only runs against loopback (http://127.0.0.1:PORT)")
    if not 1 <= (options.num_users or 0) <= MAX_USERS:
        problems.append(f"--users {options.num_users}: give 1 to {MAX_USERS}")
    if not options.run_time or options.run_time > MAX_SECONDS:
        problems.append(f"--run-time: give at most {MAX_SECONDS}s, so the run ends by itself")
    if problems:
        sys.exit("locustfile: " + "; ".join(problems))
    environment.host = environment.host.rstrip("/")  # paths below start with "/"
    if options.bodymap_once:
        Student.tasks = [Student.every_action_once]


@events.test_start.add_listener
def _start(environment, **_):
    global PAGE
    import urllib.request  # gevent-patched by locust: reading the page blocks no user

    base = environment.host.rstrip("/")
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as answer:
        dependencies = json.load(answer)
    with urllib.request.urlopen(base + "/_dash-layout", timeout=30) as answer:
        layout = json.load(answer)
    PAGE = Page(dependencies, layout)
    CLOCK["start"] = time.perf_counter()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, response=None, context=None, **_):
    if CLOCK["stop"]:
        return  # after the time limit
    kind = "export" if name.startswith("export") else "callbacks"
    if (context or {}).get("resent"):
        RESENT[kind] += 1
        return
    SAMPLES[kind].append((response_time, exception is None))


@events.user_error.add_listener
def _crashed(user_instance, exception, tb, **_):
    CRASHES.append(repr(exception))


@events.test_stop.add_listener
def _stop(environment, **_):
    CLOCK["stop"] = time.perf_counter()


@events.quitting.add_listener
def _summary(environment, **_):
    if PAGE is None:
        return
    elapsed = (CLOCK["stop"] or time.perf_counter()) - CLOCK["start"]
    users = environment.parsed_options.num_users
    for kind, samples in SAMPLES.items():
        times = sorted(ms for ms, _ in samples)
        line = {"users": users, "seconds": round(elapsed, 1), "requests": len(samples),
                "rps": round(len(samples) / elapsed, 1) if elapsed else 0.0,
                "p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
                "p99_ms": round(percentile(times, 0.99), 1), "errors": sum(1 for _, ok in samples if not ok)}
        if kind == "callbacks":
            line["errors"] += len(CRASHES)
        if kind == "export":
            line["kind"] = "export"
        print(json.dumps(line), flush=True)
    print(json.dumps({"kind": "resent", "callbacks": RESENT["callbacks"], "export": RESENT["export"]}), flush=True)


def percentile(ordered: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted samples lie (nearest rank)."""
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def value(component, prop: str, data) -> dict:
    return {"id": component, "property": prop, "value": data}


def body(output: str, outputs, inputs: list, state: list | None = None) -> dict:
    """A callback request as dash's renderer writes it."""
    changed = [f"{i['id']}.{i['property']}" for i in inputs if "value" in i]
    request = {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": changed,
               "parsedChangedPropsIds": changed}
    if state is not None:
        request["state"] = state
    return request


def _outputs(output: str) -> list[dict]:
    """The ``outputs`` list of a multi-output callback, from its output string."""
    parts = output.strip(".").split("...")
    return [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in parts]


class Student(FastHttpUser):
    """One student (or teacher) with the page open, clicking and reading."""

    # A person reading between clicks, quick: fifty of them send a few hundred
    # requests a second, as the earlier record's users did.
    wait_time = between(0.25, 0.7)
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self):
        self.downloads = gevent.pool.Group()
        if PAGE is None:
            raise StopUser()
        self.once = bool(getattr(self.environment.parsed_options, "bodymap_once", False))
        self.rng = random.Random(1 if self.once else None)
        self.export_every = self.environment.parsed_options.export_every
        self.next_export = time.monotonic() + self.rng.uniform(0, self.export_every)
        self.open_link("?" + (LINKS[-1] if self.once else self.rng.choice(LINKS)))

    def on_stop(self):
        self.downloads.kill(block=False)

    # The class's actions ------------------------------------------------

    @task(3)
    def type_a_search(self):
        term = self.rng.choice(SEARCHES)
        for end in range(1, len(term) + 1):
            pause = self.rng.uniform(0.1, 0.5)
            if end < len(term) and pause < SEARCH_DEBOUNCE_S:
                gevent.sleep(pause)  # still typing: the box waits for a pause
                continue
            self.search = term[:end]
            self.send_search()
            self.changed()
            if end < len(term):
                gevent.sleep(pause)

    @task(3)
    def choose_a_point(self):
        self.point = self.rng.choice(PAGE.points)
        self.send_details()
        self.changed()

    @task(2)
    def tick_a_condition(self):
        condition = self.rng.choice(PAGE.conditions)
        if condition in self.conditions:
            self.conditions = [c for c in self.conditions if c != condition]
        else:
            self.conditions = [*self.conditions, condition][-3:]
        self.changed()

    @task(1)
    def show_a_view(self):
        view = self.rng.choice(PAGE.views)
        if view in self.views:
            self.views = [v for v in self.views if v != view] or [view]
        else:
            self.views = [*self.views, view][-3:]
        self.changed()

    @task(1)
    def flip_a_meridian_or_switch(self):
        self.rng.choice([self.flip_a_meridian, self.flip_labels, self.flip_channels])()

    def flip_a_meridian(self):
        meridian = self.rng.choice(PAGE.meridians)
        kept = [m for m in PAGE.meridians if (m in self.meridians) != (m == meridian)]
        self.meridians = kept or list(PAGE.meridians)
        self.changed()

    def flip_labels(self):
        self.labels = not self.labels
        self.changed()

    def flip_channels(self):
        self.channels = not self.channels
        self.changed()

    def every_action_once(self):
        """Each action once, every kind of handout, then the run ends."""
        for action in (self.type_a_search, self.choose_a_point, self.tick_a_condition, self.show_a_view,
                       self.flip_a_meridian, self.flip_labels, self.flip_channels):
            action()
        for index, handout in enumerate(HANDOUTS):
            self.export(FORMATS[index % len(FORMATS)], handout)
        gevent.spawn(self.environment.runner.quit)
        raise StopUser()

    # What the page sends -------------------------------------------------

    def open_link(self, search: str) -> None:
        """Opening a shared link: the page sets its controls from the URL, then
        asks for the filter of its (empty) search and the linked point's details."""
        controls = self.callback("open link", self._restore_body(search, None),
                                 expect=("view-select", "url-written")) or {}
        self.views = controls.get("view-select", {}).get("value") or list(PAGE.views[:2])
        self.conditions = [c for key, out in controls.items() if key.startswith("{") for c in out.get("value", [])]
        self.meridians = controls.get("meridian-select", {}).get("value") or list(PAGE.meridians)
        self.search = controls.get("search-input", {}).get("value") or ""
        self.point = controls.get("selected-point", {}).get("data")
        self.labels = bool(controls.get("labels-switch", {}).get("value"))
        self.channels = bool(controls.get("channels-switch", {}).get("value"))
        self.written = controls.get("url-written", {}).get("data") or ""
        self.send_search()
        self.send_details()

    def send_search(self) -> None:
        self.callback("search", body(PAGE.search, _outputs(PAGE.search), [value("search-input", "value", self.search)],
                                     [value("url-applied", "data", True)]),
                      expect=("filter-payload", "search-note"))

    def send_details(self) -> None:
        point = self.point
        # The details read the point and the lesson being built (none here).
        inputs = [value(part["id"], part["property"], point if part["id"] == "selected-point" else None)
                  for part in PAGE.details_inputs]
        self.callback("details", body(PAGE.details, {"id": "point-details", "property": "children"}, inputs),
                      expect=("point-details",), names=point)

    def changed(self) -> None:
        """After the browser has drawn a change, the page writes the shareable URL;
        the new URL then comes back to the page, which sends it once more (and
        is told nothing is new). A handout is downloaded now and then."""
        groups = [[c for c in self.conditions if c in members] for members in PAGE.members]
        shown = {"view-select": self.views, "meridian-select": self.meridians, "search-input": self.search,
                 "selected-point": self.point, "labels-switch": self.labels, "channels-switch": self.channels,
                 "category-select": [], "fit-switch": False, "lesson-store": None, "lesson-only": True,
                 "page-mode": "", "url-applied": True, "url-written": self.written}
        state = []
        for part in PAGE.url_update_state:
            if str(part["id"]).startswith("{"):  # the condition checklists, one per group (a pattern id)
                state.append([value(gid, "value", chosen) for gid, chosen in zip(PAGE.group_ids, groups)])
            elif part["id"] in shown:
                state.append(value(part["id"], part["property"], shown[part["id"]]))
            else:
                raise RuntimeError(f"the URL update reads {part['id']}: the benchmark needs updating")
        answer = self.callback("url update", body(
            PAGE.url_update, _outputs(PAGE.url_update), [value("applied", "data", int(time.time() * 1000))], state),
            expect=("url-push", "url-written"), unchanged=True)
        if answer:  # None: the URL already shows this state, so nothing is written
            self.written = answer["url-push"]["search"]
            self.callback("url echo", self._restore_body(self.written, self.written), unchanged=True, only_unchanged=True)
        self.maybe_export()

    def maybe_export(self) -> None:
        if self.once or not self.export_every or time.monotonic() < self.next_export:
            return
        self.next_export = time.monotonic() + self.rng.uniform(0.75, 1.25) * self.export_every
        # The browser downloads the link while the page stays in use.
        self.downloads.spawn(self.export, self.rng.choice(["pdf", "svg"]), self.rng.choice(HANDOUTS))

    def export(self, fmt: str, handout: str) -> None:
        """A handout by the link the page gives for a shown state."""
        path = f"/_bodymap/export?{handout}&" + urlencode([("paper", "a4"), ("format", fmt)])
        with self._request("GET", path, f"export {fmt}") as response:
            self._judge(response, f"export {fmt}", _bad_handout(response, fmt))

    # Plumbing -----------------------------------------------------------

    def _restore_body(self, search: str, written) -> dict:
        outputs = [[{"id": gid, "property": "value"} for gid in PAGE.group_ids] if part["id"].startswith("{")
                   else part for part in _outputs(PAGE.restore)]
        written_state = {"id": "url-written", "property": "data"}
        if written is not None:
            written_state["value"] = written
        return body(PAGE.restore, outputs, [value("url", "pathname", "/"), value("url", "search", search)],
                    [written_state])

    def callback(self, name: str, request: dict, expect=(), names=None, unchanged=False, only_unchanged=False):
        """POST one callback and check its answer. Returns the outputs, or None
        for a 204 (dash's "nothing new") where ``unchanged`` allows one."""
        with self._request("POST", CALLBACK, name, json=request) as response:
            problem, outputs = "", None
            if response.status_code == 204 and unchanged:
                pass
            elif only_unchanged:
                problem = f"expected 204 (nothing new), got {response.status_code}"
            elif response.status_code != 200:
                problem = _status(response)
            else:
                try:
                    outputs = json.loads(response.content)["response"]
                    missing = [key for key in expect if key not in outputs]
                except (ValueError, KeyError, TypeError):
                    problem, outputs = "the answer is not a dash response", None
                else:
                    if missing:
                        problem, outputs = f"the answer lacks {missing}", None
                    elif names and names not in json.dumps(outputs):
                        problem, outputs = f"the answer does not name {names}", None
            self._judge(response, name, problem)
            return outputs

    def _request(self, method: str, path: str, name: str, **options):
        """Send a request as a browser does; returns Locust's response, to be judged
        in a ``with`` block. A request on a kept-alive connection the server has
        just closed is sent once more, and counted as resent instead of timed."""
        response = self.client.request(method, path, name=name, catch_response=True, allow_redirects=False,
                                       **options)
        if not response.status_code and isinstance(getattr(response, "error", None), CLOSED):
            response.request_meta["context"]["resent"] = True
            with response:
                response.success()
            response = self.client.request(method, path, name=name, catch_response=True, allow_redirects=False,
                                           **options)
        return response

    def _judge(self, response, name: str, problem: str) -> None:
        if problem:
            response.failure(problem)
        else:
            response.success()
        if self.once:
            print(json.dumps({"request": name, "status": response.status_code, "problem": problem}), flush=True)


def _status(response) -> str:
    if not response.status_code:  # no answer at all: say what the connection did
        return f"no answer: {getattr(response, 'error', None)!r}"
    return f"status {response.status_code}: {(response.text or '')[:120]}"


def _bad_handout(response, fmt: str) -> str:
    if response.status_code != 200:
        return _status(response)
    content = response.content or b""
    if response.headers.get("Content-Type", "").startswith("application/zip"):
        # An SVG or PNG handout whose table runs on: its pages in one ZIP, the first page first.
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as pages:
            content = pages.read(pages.namelist()[0])
    magic = {"pdf": b"%PDF", "png": b"\x89PNG", "svg": b"<"}[fmt]
    if not content.startswith(magic) or (fmt == "svg" and b"<svg" not in content[:4000]):
        return f"the {fmt.upper()} handout is not a {fmt.upper()} file"
    if "attachment" not in (response.headers.get("Content-Disposition") or ""):
        return "the handout is not sent as a download"
    return ""
