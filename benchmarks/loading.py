"""How long loading and querying take, as ratios to a plain CSV read.

The baseline (reading every table with csv.DictReader and nothing else) runs
interleaved with the measured tasks in this same process, so the ratios hold
on a noisy machine. Prints one JSON line per task.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import tempfile
import time

from bodymap import load_atlas, query
from bodymap.resources import default_data_dir
from bodymap.silhouettes import _load_cached


def plain_csv_read() -> None:
    for path in sorted(default_data_dir().glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            list(csv.DictReader(handle))


def cold_load() -> None:
    _load_cached.cache_clear()
    load_atlas()


def first_load_on_a_new_machine() -> None:
    """Nothing cached: every silhouette parsed and every placement lifted onto the body."""
    _load_cached.cache_clear()
    with tempfile.TemporaryDirectory() as cache:
        previous = os.environ.get("BODYMAP_CACHE_DIR")
        os.environ["BODYMAP_CACHE_DIR"] = cache
        try:
            load_atlas()
        finally:
            if previous is None:
                del os.environ["BODYMAP_CACHE_DIR"]
            else:
                os.environ["BODYMAP_CACHE_DIR"] = previous


def main(rounds: int = 30) -> None:
    load_atlas()  # imports happen once, before timing
    atlas = load_atlas()
    tasks = {
        "load_atlas (silhouettes cached)": load_atlas,
        "load_atlas (silhouettes parsed)": cold_load,
        "query: search 'B54'": lambda: query(atlas, search="B54"),
        "query: two conditions + meridian": lambda: query(atlas, conditions=["sciatica", "lower-back-pain"],
                                                          meridians=["BL"]),
        "query: search 'lumbago' (a condition's synonym)": lambda: query(atlas, search="lumbago"),
        "query: two special-point categories": lambda: query(atlas, categories=["back-shu", "front-mu"]),
    }
    samples = {name: [] for name in ["baseline", *tasks]}
    for _ in range(rounds):
        for name, task in [("baseline", plain_csv_read), *tasks.items()]:
            start = time.perf_counter()
            task()
            samples[name].append(time.perf_counter() - start)
    # Slow, so fewer rounds, each still beside its own baseline read.
    samples["load_atlas (nothing cached: silhouettes parsed, placements lifted)"] = []
    for _ in range(max(rounds // 6, 3)):
        start = time.perf_counter()
        first_load_on_a_new_machine()
        samples["load_atlas (nothing cached: silhouettes parsed, placements lifted)"].append(time.perf_counter() - start)
    base = statistics.median(samples["baseline"])
    for name, values in samples.items():
        median = statistics.median(values)
        print(json.dumps({"task": name, "median_ms": round(median * 1000, 3),
                          "ratio_to_plain_csv_read": round(median / base, 2)}))


if __name__ == "__main__":
    main()
