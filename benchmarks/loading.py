"""How long loading and querying take, as ratios to a plain CSV read.

The baseline (reading every table with csv.DictReader and nothing else) runs
interleaved with the measured tasks in this same process, so the ratios hold
on a noisy machine. Prints one JSON line per task.
"""

from __future__ import annotations

import csv
import json
import statistics
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
    base = statistics.median(samples["baseline"])
    for name, values in samples.items():
        median = statistics.median(values)
        print(json.dumps({"task": name, "median_ms": round(median * 1000, 3),
                          "ratio_to_plain_csv_read": round(median / base, 2)}))


if __name__ == "__main__":
    main()
