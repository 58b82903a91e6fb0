"""Many users at once: a bounded load generator on loopback against
`bodymap serve --workers 2` (gunicorn).

Each simulated user repeats what the page sends the server: a search as the
user types, the shareable-URL update after each change, a point's details,
and now and then a handout export. Prints one JSON line for the callbacks
and one with "kind": "export":
{"users", "seconds", "requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors"}

    python benchmarks/load.py [--users 50] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time

from _server import BODYMAP, start

SEARCHES = ["BL23", "UB-23", "B54", "Shen Shu", "肾俞", "Joining Valley", "GB", "ST36", "Ren12", "LIV3", "sciatica"]
CONDITIONS = ["sciatica", "lower-back-pain", "headache", "insomnia", "neck-pain", "knee-pain"]
POINTS = ["BL23", "BL40", "LI4", "ST36", "GB20", "PC6", "SP6", "LR3", "GV20", "CV12"]
MAX_REQUESTS_PER_USER = 20_000
EXPORT_SHARE = 0.01  # of steps that also download a handout: each user about every 20 s


def callback(output, outputs, inputs, state=()):
    return {"output": output, "outputs": outputs, "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs],
            "inputs": inputs, "state": list(state)}


def value(component, prop, data):
    return {"id": component, "property": prop, "value": data}


def search_body(rng):
    return callback("..filter-payload.data...search-note.children..",
                    [{"id": "filter-payload", "property": "data"}, {"id": "search-note", "property": "children"}],
                    [value("search-input", "value", rng.choice(SEARCHES))], [value("url-applied", "data", True)])


def url_body(rng):
    return callback("url.search", {"id": "url", "property": "search"}, [value("applied", "data", time.time())], [
        value("view-select", "value", rng.sample(["front", "back", "side", "leg"], 2)),
        value("condition-select", "value", rng.sample(CONDITIONS, rng.randint(0, 2))),
        value("meridian-select", "value", ["LU", "LI", "ST", "SP", "BL", "GB", "GV", "CV"]),
        value("search-input", "value", ""), value("selected-point", "data", rng.choice(POINTS)),
        value("labels-switch", "value", False), value("channels-switch", "value", rng.random() < 0.5),
        value("url-applied", "data", True)])


def details_body(rng):
    return callback("point-details.children", {"id": "point-details", "property": "children"},
                    [value("selected-point", "data", rng.choice(POINTS))])


class User(threading.Thread):
    def __init__(self, port: int, deadline: float, seed: int, results: dict):
        super().__init__(daemon=True)
        self.port, self.deadline, self.rng, self.results = port, deadline, random.Random(seed), results

    def request(self, kind, method, path, body=None):
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=json.dumps(body) if body else None,
                                    headers={"Content-Type": "application/json"} if body else {})
            response = self.connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.results[kind].append(((time.perf_counter() - start) * 1000, ok))

    def run(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        for step in range(MAX_REQUESTS_PER_USER):
            if time.monotonic() > self.deadline:
                break
            choice = step % 3
            body = (search_body, url_body, details_body)[choice](self.rng)
            self.request("callbacks", "POST", "/_dash-update-component", body)
            if self.rng.random() < EXPORT_SHARE:
                condition = self.rng.choice(CONDITIONS)
                fmt = self.rng.choice(["pdf", "svg"])
                self.request("export", "GET", f"/_bodymap/export?condition={condition}&format={fmt}")
            time.sleep(self.rng.uniform(0.05, 0.3))  # a person reading between clicks
        self.connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    server, url, _ = start([*BODYMAP, "--workers", str(args.workers)], "bodymap serve")
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    try:
        results = {"callbacks": [], "export": []}
        deadline = time.monotonic() + args.seconds
        users = [User(port, deadline, seed, results) for seed in range(args.users)]
        started = time.perf_counter()
        for user in users:
            user.start()
        for user in users:
            user.join(args.seconds + 120)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    for kind, samples in results.items():
        times = [ms for ms, _ in samples]
        line = {"users": args.users, "seconds": round(elapsed, 1), "requests": len(samples),
                "rps": round(len(samples) / elapsed, 1), "p50_ms": round(percentile(times, 0.5), 1),
                "p95_ms": round(percentile(times, 0.95), 1), "p99_ms": round(percentile(times, 0.99), 1),
                "errors": sum(1 for _, ok in samples if not ok)}
        if kind == "export":
            line["kind"] = "export"
        print(json.dumps(line))


if __name__ == "__main__":
    main()
