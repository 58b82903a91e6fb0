"""Many users at once: Locust's simulated class (``benchmarks/locustfile.py``)
against ``bodymap serve --workers 2`` (gunicorn), both on loopback.

Starts the server on a free loopback port, runs Locust headless for a fixed
time (killed if it overruns), stops the server, and prints the locustfile's
two JSON lines, one for the callbacks and one with "kind": "export":
{"users", "seconds", "requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors"}
then a line with "kind": "machine": the 1-minute load average before the run,
the cores, the CPU seconds the server (all its processes and the converters
they ran) and Locust used, and the memory of the master, each worker and
the processes a worker started, at the end: resident (rss) and proportional
(pss: pages shared after the fork are split between the processes sharing
them, so the pss figures add up).

    python benchmarks/load.py [--users 50] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from _server import BODYMAP, start

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
MAX_USERS = 500
MAX_SECONDS = 600


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _memory_mb(pid: int) -> dict:
    """Resident and proportional set size of one process, in MB."""
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            sizes[key.lower() + "_mb"] = round(int(rest.split()[0]) / 1024, 1)
    return sizes


def _cpu_s(pid: int) -> float:
    """CPU seconds of a process and its finished children (an export's converter)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--export-every", type=float, default=20, metavar="SECONDS",
                        help="each user downloads a handout about this often (0: never)")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS or not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--users 1 to {MAX_USERS}, --seconds 1 to {MAX_SECONDS}")
    load_before = os.getloadavg()[0]
    server, url, _ = start([*BODYMAP, "--workers", str(args.workers)], "bodymap serve")
    machine = {"kind": "machine", "load_1min_before": round(load_before, 2), "cores": os.cpu_count()}
    try:
        for _ in range(100):  # gunicorn forks its workers after the master answers
            workers = _children(server.pid)
            if len(workers) >= args.workers:
                break
            time.sleep(0.1)
        everything = [server.pid, *workers, *(child for pid in workers for child in _children(pid))]
        server_cpu = sum(_cpu_s(pid) for pid in everything)
        command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", url.rstrip("/"),
                   "--users", str(args.users), "--spawn-rate", str(args.users), "--run-time", f"{args.seconds}s",
                   "--stop-timeout", "0", "--only-summary", "--loglevel", "WARNING",
                   "--export-every", str(args.export_every)]
        try:
            # Locust stops itself at --run-time; the timeout is the bound if it does not.
            done = subprocess.run(command, capture_output=True, text=True, timeout=args.seconds + 60)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"locust overran {args.seconds} s by a minute and was stopped") from None
        machine["server_cpu_s"] = round(sum(_cpu_s(pid) for pid in everything) - server_cpu, 1)
        machine["locust_cpu_s"] = round(sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]), 1)
        machine["master"] = _memory_mb(server.pid)
        # Each worker, with the processes it started and keeps.
        machine["workers"] = [{"pid": pid, **_memory_mb(pid), "children": [_memory_mb(c) for c in _children(pid)]}
                              for pid in workers]
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [line for line in done.stdout.splitlines() if line.startswith('{"users"')]
    if len(lines) != 2:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"locust ended with status {done.returncode} and no summary")
    if any(json.loads(line)["errors"] for line in lines):
        sys.stderr.write(done.stderr[-3000:])  # what failed, as Locust logged it
    for line in lines:
        print(line)
    print(json.dumps(machine))
    if done.returncode not in (0, 1):  # 1: some requests failed, which the summary counts
        raise SystemExit(f"locust ended with status {done.returncode}")


if __name__ == "__main__":
    main()
