"""Precision and recall of the duplicate flag on a labelled synthetic set.

Base offers come from the synthetic Krefeld catalogue. For each base offer of one provider a
second provider enters either a *true duplicate* (same course with realistic variations: case,
punctuation, gender forms, suffixes, a typo, dates shifted by a few weeks) or a *near miss*
(same measure type, district and overlapping dates, but another module, another occupation or
a different course). Run: ``.venv/bin/python bench/offers/bench_duplicates.py [--n 1000]``.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

import numpy as np

from models.offer import Offer, OfferBase
from service.offers.fields import storage_values
from service.offers.quality import DuplicateIndex
from training.synthetic.catalog import generate_offers


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not letters:
        return text
    i = rng.choice(letters)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


VARIATIONS = [
    lambda r, t: t.upper(),
    lambda r, t: t.replace("–", "-").replace("/in", "*in"),
    lambda r, t: t.replace("/in", ":in") + " (Krefeld)",
    lambda r, t: t + " – Teilzeit möglich",
    lambda r, t: _typo(r, t),
    lambda r, t: t.replace(" – ", " "),
    lambda r, t: "Neu: " + t,
    lambda r, t: _typo(r, t.lower()),
]


def _content(row: dict, title: str, shift_days: int = 0) -> OfferBase:
    starts = [d + timedelta(days=shift_days) for d in row["start_dates"]]
    return OfferBase.model_validate(
        {
            "external_ref": "x",
            "title": title,
            "measure_type": row["measure_type"],
            "target_occupations": list(row["target_occupations"]),
            "hours_per_week": row["hours_per_week"],
            "duration_weeks": row["duration_weeks"],
            "start_dates": starts,
            "seats_total": 20,
            "seats_free": 5,
            "district": row["district"],
        }
    )


def near_miss(rng: random.Random, row: dict, others: list[dict]) -> str:
    title = row["title"]
    digits = [c for c in title if c.isdigit()]
    if digits and rng.random() < 0.5:
        d = digits[-1]
        return title[::-1].replace(d, str((int(d) % 4) + 1 if d != "4" else 2), 1)[::-1]
    same_type = [
        o for o in others if o["measure_type"] == row["measure_type"] and o["title"] != title
    ]
    if same_type:
        return rng.choice(same_type)["title"]
    return title + " für Fortgeschrittene"


def build(n: int, seed: int) -> tuple[list[Offer], list[tuple[OfferBase, int, bool]]]:
    rng = random.Random(seed)
    frame, _quality = generate_offers(np.random.default_rng(seed), n)
    rows = frame.to_dict("records")
    existing, probes = [], []
    seen = set()
    for i, row in enumerate(rows, start=1):
        key = (row["title"], row["measure_type"], row["district"])
        # The catalogue repeats titles; keep one base per block so labels stay unambiguous.
        if not row["start_dates"] or key in seen:
            continue
        seen.add(key)
        base = _content(row, row["title"])
        existing.append(Offer(id=i, provider_id=1, status="approved", **storage_values(base)))
        duplicate = rng.random() < 0.5
        if duplicate:
            title = rng.choice(VARIATIONS)(rng, row["title"])
        else:
            title = near_miss(rng, row, rows)
        shift = rng.randint(-21, 21)
        probes.append((_content(row, title[:200], shift), i, duplicate))
    return existing, probes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    existing, probes = build(args.n, args.seed)
    started = time.perf_counter()
    index = DuplicateIndex(existing)
    tp = fp = fn = tn = other = 0
    for content, source_id, is_duplicate in probes:
        flagged = {f["offer_id"] for f in index.matches(content, provider_id=2)}
        hit = source_id in flagged
        tp += hit and is_duplicate
        fn += (not hit) and is_duplicate
        fp += hit and not is_duplicate
        tn += (not hit) and not is_duplicate
        other += len(flagged - {source_id})
    elapsed = time.perf_counter() - started
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    print(f"probes={len(probes)} duplicates={tp + fn} near_misses={len(probes) - tp - fn}")
    print(f"tp={tp} fp={fp} fn={fn} tn={tn} flags_on_other_offers={other}")
    print(f"precision={precision:.3f} recall={recall:.3f} seconds={elapsed:.2f}")


if __name__ == "__main__":
    main()
