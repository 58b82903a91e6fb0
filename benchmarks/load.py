"""Many users at once: Locust's simulated class (``benchmarks/locustfile.py``)
against ``bodymap serve --workers 2`` (gunicorn), both on loopback.

Starts the server on a free loopback port, runs Locust headless for a fixed
time (killed if it overruns), stops the server, and prints the locustfile's
two JSON lines, one for the callbacks and one with "kind": "export":
{"users", "seconds", "requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors"}
and its count of requests sent again after the server closed an idle
kept-alive connection under them ("kind": "resent"), then a line with "kind": "machine": the 1-minute load average before and
after the run, the cores, the CPU seconds the server (all its processes and
the converters they ran), Locust and everything else on the machine used
during the run, and the memory of the master, each worker and
the processes a worker started, at the end: resident (rss) and proportional
(pss: pages shared after the fork are split between the processes sharing
them, so the pss figures add up).

    python benchmarks/load.py [--users 50] [--seconds 60] [--workers 2] [--export-every 20]

``--workers 1`` runs gunicorn itself with one worker, as docs/deploy.md's
command does (``bodymap serve --workers 1`` would use the built-in server):
what one worker sustains.
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

# docs/deploy.md's gunicorn command, for one worker
GUNICORN = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--threads", "4", "--timeout", "90",
            "--preload", "--bind", "127.0.0.1:{port}", "--log-level", "warning", "bodymap.app.wsgi:server"]

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
MAX_USERS = 500
MAX_SECONDS = 600


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started, from any of its threads."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return sorted(set(found))


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
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # ended meanwhile: its time is now its parent's
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds of a process and all it started, those running and those finished."""
    return _cpu_s(pid) + sum(_tree_cpu_s(child) for child in _children(pid))


def _busy_s() -> float:
    """CPU seconds every process on the machine has used since boot (all cores)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


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
    command = [*GUNICORN, "--workers", "1"] if args.workers == 1 else [*BODYMAP, "--workers", str(args.workers)]
    server, url, _ = start(command, "the server")
    machine = {"kind": "machine", "load_1min_before": round(load_before, 2), "cores": os.cpu_count()}
    try:
        for _ in range(100):  # gunicorn forks its workers after the master answers
            workers = _children(server.pid)
            if len(workers) >= args.workers:
                break
            time.sleep(0.1)
        server_cpu, busy = _tree_cpu_s(server.pid), _busy_s()
        run_locust = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", url.rstrip("/"),
                   "--users", str(args.users), "--spawn-rate", str(args.users), "--run-time", f"{args.seconds}s",
                   "--stop-timeout", "0", "--only-summary", "--loglevel", "WARNING",
                   "--export-every", str(args.export_every)]
        try:
            # Locust stops itself at --run-time; the timeout is the bound if it does not.
            done = subprocess.run(run_locust, capture_output=True, text=True, timeout=args.seconds + 60)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"locust overran {args.seconds} s by a minute and was stopped") from None
        machine["server_cpu_s"] = round(_tree_cpu_s(server.pid) - server_cpu, 1)
        machine["locust_cpu_s"] = round(sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]), 1)
        # What everything else on the machine (other people's work) took meanwhile.
        machine["others_cpu_s"] = round(_busy_s() - busy - machine["server_cpu_s"] - machine["locust_cpu_s"], 1)
        machine["load_1min_after"] = round(os.getloadavg()[0], 2)
        machine["master"] = _memory_mb(server.pid)
        # Each worker, with the processes it started and keeps.
        machine["workers"] = [{"pid": pid, **_memory_mb(pid), "children": [_memory_mb(c) for c in _children(pid)]}
                              for pid in workers]
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [line for line in done.stdout.splitlines() if line.startswith(('{"users"', '{"kind"'))]
    if sum(line.startswith('{"users"') for line in lines) != 2:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"locust ended with status {done.returncode} and no summary")
    if any(json.loads(line).get("errors") for line in lines):
        sys.stderr.write(done.stderr[-3000:])  # what failed, as Locust logged it
    for line in lines:
        print(line)
    print(json.dumps(machine))
    if done.returncode not in (0, 1):  # 1: some requests failed, which the summary counts
        raise SystemExit(f"locust ended with status {done.returncode}")


if __name__ == "__main__":
    main()
