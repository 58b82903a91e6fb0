"""What a language costs: the atlas in it, the page in it, a handout in it, against English.

Prints one JSON line per measurement, rounds interleaved so machine noise hits every case alike:

- localize: making the atlas's texts in a language (once per process and language; the app and the
  CLI keep it), against loading and checking the atlas itself;
- page: the app's first page in each language (its layout is made once per worker and language):
  bytes gzipped, and the time to make it, against English;
- handout: a one-page handout (sciatica, back and side views, PDF) in each language, against English.

    python benchmarks/languages.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import statistics

from _server import timed

from bodymap import load_atlas
from bodymap.handout import HandoutSpec, render_handout
from bodymap.i18n import _localize, activate, localize

LANGS = ("en", "zh-Hans", "es")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    atlas = load_atlas()
    samples: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        samples.setdefault(key, []).append(value)

    from bodymap.app import create_app
    from bodymap.app.layout import build

    sizes = {}
    for _round in range(args.rounds):
        add("load", timed(load_atlas))
        for lang in LANGS[1:]:
            _localize._cache.clear()  # made afresh each round
            add(f"localize {lang}", timed(lambda: localize(atlas, lang)))
        for lang in LANGS:
            gc.collect()  # the last round's garbage is not this page's cost
            with activate(lang):
                add(f"page {lang}", timed(lambda: build(localize(atlas, lang), basic=True)))
        if not sizes:
            client = create_app(atlas).server.test_client()
            sizes.update({lang: len(gzip.compress(client.get(f"/?lang={lang}").data)) for lang in LANGS})
        for lang in LANGS:
            spec = HandoutSpec(conditions=("sciatica",), views=("back", "side"), lang=lang, date="2026-01-01")
            add(f"handout {lang}", timed(lambda: render_handout(atlas, spec)))
    median = {key: statistics.median(values) for key, values in samples.items()}
    for lang in LANGS[1:]:
        print(json.dumps({"task": "localize", "lang": lang, "median_ms": round(median[f"localize {lang}"] * 1000, 1),
                          "load_ms": round(median["load"] * 1000, 1),
                          "to_load": round(median[f"localize {lang}"] / median["load"], 3)}))
    for lang in LANGS:
        print(json.dumps({"task": "page", "lang": lang, "first_page_gzip_bytes": sizes[lang],
                          "to_english_bytes": round(sizes[lang] / sizes["en"], 3),
                          "layout_made_ms": round(median[f"page {lang}"] * 1000, 1),
                          "to_english_time": round(median[f"page {lang}"] / median["page en"], 2)}))
    for lang in LANGS:
        print(json.dumps({"task": "handout", "lang": lang, "median_s": round(median[f"handout {lang}"], 3),
                          "to_english": round(median[f"handout {lang}"] / median["handout en"], 2)}))
    print(json.dumps({"rounds": args.rounds}))


if __name__ == "__main__":
    main()
