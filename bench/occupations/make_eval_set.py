"""Generate the occupation-search evaluation set: real KldB job titles, typed the way people do.

Each query is one real title with one realistic variation; the expected code is that title's
kldb5, nothing else. Deterministic for a given seed, sampled evenly over the ten KldB areas.

    .venv/bin/python bench/occupations/make_eval_set.py [--seed 2010] [--per-kind 60]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from service.occupations import JobTitle, load_job_titles

HERE = Path(__file__).parent
FIELDS = ["query", "expected_kldb5", "variation_kind", "source_title"]

# QWERTZ neighbours, lower case letters only.
_ROWS = ["qwertzuiopü", "asdfghjklöä", "yxcvbnm"]
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _c, _ch in enumerate(_row):
        near = [_row[i] for i in (_c - 1, _c + 1) if 0 <= i < len(_row)]
        for other in (_r - 1, _r + 1):
            if 0 <= other < len(_ROWS):
                near += [_ROWS[other][i] for i in (_c - 1, _c) if 0 <= i < len(_ROWS[other])]
        _NEIGHBOURS[_ch] = "".join(near)

# How people shorten words in CVs and job ads (not the matcher's table: written independently).
_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bTechnische/r\b", "Techn."),
    (r"\bTechniker/in\b", "Techn."),
    (r"(?<=\w)kaufmann/-frau\b", "kfm."),
    (r"\bKaufmann/-frau\b", "Kfm."),
    (r"\bKaufmännische/r\b", "Kaufm."),
    (r"\bFachkraft\b", "Fachkr."),
    (r"(?<=\w)fachkraft\b", "fachkr."),
    (r"\bAssistent/in\b", "Ass."),
    (r"\bIngenieur/in\b", "Ing."),
    (r"(?<=\w)ingenieur/in\b", "ing."),
    (r"\bAngestellte/r\b", "Angest."),
    (r"\bMeister/in\b", "Mstr."),
    (r"\bMitarbeiter/in\b", "Mitarb."),
    (r"\bSachbearbeiter/in\b", "Sachb."),
    (r"\bVerwaltung\b", "Verw."),
    (r"\bBetriebswirt/in\b", "Betriebsw."),
    (r"\bstaatlich geprüfte/r\b", "staatl. gepr."),
    (r"\bIndustrie\b", "Ind."),
    (r"\bFachverkäufer/in\b", "Fachverk."),
    (r"\bHandwerk\b", "Hw."),
    (r"\bWirtschaft\b", "Wirtsch."),
    (r"\bMedizinische/r\b", "Med."),
]
_FEMALE_WORDS = {"frau": "mann", "ärztin": "arzt", "anwältin": "anwalt", "köchin": "koch"}


def _letter_positions(title: str) -> list[int]:
    """Letters inside words of four or more letters, not in gender endings like "/in"."""
    positions: list[int] = []
    for match in re.finditer(r"(?<![/\-])\b[^\W\d_]{4,}", title):
        positions.extend(range(match.start() + 1, match.end()))
    return positions


def typo_swap(title: str, rng: random.Random) -> str | None:
    spots = [i for i in _letter_positions(title) if title[i + 1 : i + 2].isalpha()]
    if not spots:
        return None
    i = rng.choice(spots)
    return title[:i] + title[i + 1] + title[i] + title[i + 2 :]


def typo_drop(title: str, rng: random.Random) -> str | None:
    spots = _letter_positions(title)
    if not spots:
        return None
    i = rng.choice(spots)
    return title[:i] + title[i + 1 :]


def typo_duplicate(title: str, rng: random.Random) -> str | None:
    spots = _letter_positions(title)
    if not spots:
        return None
    i = rng.choice(spots)
    return title[:i] + title[i] + title[i:]


def typo_keyboard(title: str, rng: random.Random) -> str | None:
    spots = [i for i in _letter_positions(title) if title[i] in _NEIGHBOURS]
    if not spots:
        return None
    i = rng.choice(spots)
    return title[:i] + rng.choice(_NEIGHBOURS[title[i]]) + title[i + 1 :]


def typo_two(title: str, rng: random.Random) -> str | None:
    first, second = rng.sample([typo_swap, typo_drop, typo_duplicate, typo_keyboard], 2)
    once = first(title, rng)
    return second(once, rng) if once else None


def lowercase(title: str, rng: random.Random) -> str | None:
    return title.lower()


def umlaut_ascii(title: str, rng: random.Random) -> str | None:
    if not re.search("[äöüÄÖÜß]", title):
        return None
    table = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
    return "".join(table.get(ch, ch) for ch in title)


def umlaut_plain(title: str, rng: random.Random) -> str | None:
    if not re.search("[äöüÄÖÜ]", title):
        return None
    return title.translate(str.maketrans("äöüÄÖÜ", "aouAOU"))


def female_form(title: str, rng: random.Random) -> str | None:
    """The female job title a woman would type: Elektronikerin, Bürokauffrau, Beamtin."""
    out = re.sub(r"\((?:e|er)/in\)", "in", title)
    out = re.sub(r"(?<=[a-zäöüß])/in\b", "in", out)
    out = re.sub(r"(?<=e)/r\b", "", out)
    out = re.sub(r"(\w*?)mann/-frau\b", r"\1frau", out)
    for female, male in _FEMALE_WORDS.items():
        out = re.sub(rf"(\w*?){male}/-{female}\b", rf"\1{female}", out)
    out = re.sub(r"\b(\w+)/(\w+in)\b", r"\2", out)
    return out if out != title else None


def gender_notation(title: str, rng: random.Random) -> str | None:
    """Other spellings of the neutral form: Elektroniker/-in, ElektronikerIn, Elektroniker*in."""
    if not re.search(r"[a-zäöüß]/in\b", title):
        return None
    notation = rng.choice(["/-in", "In", "*in", ":in", "(in)"])
    return re.sub(r"(?<=[a-zäöüß])/in\b", notation, title)


def mwd(title: str, rng: random.Random) -> str | None:
    """Job-ad style: male form plus "(m/w/d)", after the first word or at the end."""
    male = re.sub(r"\((e|er)/in\)", r"\1", title)
    male = re.sub(r"(?<=[a-zäöüß])/in\b", "", male)
    male = re.sub(r"(?<=e)/r\b", "r", male)
    male = re.sub(r"/-\w+", "", male)
    marker = rng.choice(["(m/w/d)", "(w/m/d)", "m/w/d"])
    if " - " in male and rng.random() < 0.5:
        head, tail = male.split(" - ", 1)
        return f"{head} {marker} - {tail}"
    return f"{male} {marker}"


def abbreviation(title: str, rng: random.Random) -> str | None:
    options = [(pattern, short) for pattern, short in _ABBREVIATIONS if re.search(pattern, title)]
    if not options:
        return None
    pattern, short = rng.choice(options)
    return re.sub(pattern, short, title, count=1)


def word_order(title: str, rng: random.Random) -> str | None:
    """Specialisation first ("Automatisierungstechnik Elektroniker/in") or words rotated."""
    if " - " in title:
        head, tail = title.split(" - ", 1)
        return f"{tail} {head}"
    words = title.split()
    if len(words) < 2:
        return None
    cut = rng.randrange(1, len(words))
    return " ".join(words[cut:] + words[:cut])


def drop_suffix(title: str, rng: random.Random) -> str | None:
    """Only the base occupation, without " - specialisation" or a trailing "(...)"."""
    if " - " in title:
        return title.split(" - ", 1)[0]
    shorter = re.sub(r"\s*\([^()]*\)$", "", title)
    return shorter if shorter != title and shorter else None


KINDS: dict[str, Callable[[str, random.Random], str | None]] = {
    "typo_swap": typo_swap,
    "typo_drop": typo_drop,
    "typo_duplicate": typo_duplicate,
    "typo_keyboard": typo_keyboard,
    "typo_two": typo_two,
    "lowercase": lowercase,
    "umlaut_ascii": umlaut_ascii,
    "umlaut_plain": umlaut_plain,
    "female_form": female_form,
    "gender_notation": gender_notation,
    "mwd": mwd,
    "abbreviation": abbreviation,
    "word_order": word_order,
    "drop_suffix": drop_suffix,
}


def simple_key(title: str) -> str:
    """A crude, matcher-independent key for spotting near-identical titles."""
    key = re.sub(r"\((?:e|er)/in\)|/-?\w*in\b|/r\b|/-\w+|\(m/w/d\)", "", title.lower())
    return " ".join(re.findall(r"[^\W_]+", key))


def generate(titles: list[JobTitle], per_kind: int, seed: int) -> list[dict[str, str]]:
    """Round-robin over the KldB areas so every area is represented in every kind."""
    rng = random.Random(seed)
    by_area: dict[str, list[JobTitle]] = defaultdict(list)
    for title in titles:
        by_area[title.kldb5[0]].append(title)
    for pool in by_area.values():
        rng.shuffle(pool)
    used: set[str] = set()
    rows: list[dict[str, str]] = []
    for kind, vary in KINDS.items():
        areas = sorted(by_area)
        rng.shuffle(areas)
        cursors = dict.fromkeys(areas, 0)
        made = 0
        while made < per_kind and any(cursors[a] < len(by_area[a]) for a in areas):
            for area in areas:
                if made >= per_kind:
                    break
                pool = by_area[area]
                while cursors[area] < len(pool):
                    source = pool[cursors[area]]
                    cursors[area] += 1
                    if source.job_code in used:
                        continue
                    query = vary(source.title, rng)
                    if query and query.strip() and query != source.title:
                        used.add(source.job_code)
                        rows.append(
                            {
                                "query": query,
                                "expected_kldb5": source.kldb5,
                                "variation_kind": kind,
                                "source_title": source.title,
                            }
                        )
                        made += 1
                        break
    return rows


def report_ambiguity(titles: list[JobTitle], rows: list[dict[str, str]]) -> None:
    codes_by_key: dict[str, set[str]] = defaultdict(set)
    codes_by_title: dict[str, set[str]] = defaultdict(set)
    for title in titles:
        codes_by_key[simple_key(title.title)].add(title.kldb5)
        codes_by_title[title.title].add(title.kldb5)
    exact = sum(len(codes) > 1 for codes in codes_by_title.values())
    near = sum(len(codes) > 1 for codes in codes_by_key.values())
    in_eval = sum(len(codes_by_key[simple_key(row["source_title"])]) > 1 for row in rows)
    query_hits_other = sum(
        bool(codes_by_key.get(simple_key(row["query"]), set()) - {row["expected_kldb5"]})
        for row in rows
    )
    print(f"titles identical under several codes: {exact}")
    print(f"titles near-identical (case, gender forms, punctuation) under several codes: {near}")
    print(f"eval queries whose source title is near-identical under several codes: {in_eval}")
    print(f"eval queries that spell out a title of another code: {query_hits_other}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--output", type=Path, default=HERE / "eval_set.csv")
    args = parser.parse_args()
    titles = load_job_titles()
    rows = generate(titles, args.per_kind, args.seed)
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} queries in {len(KINDS)} kinds to {args.output}")
    report_ambiguity(titles, rows)


if __name__ == "__main__":
    main()
