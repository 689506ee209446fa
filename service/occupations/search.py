"""Typo-tolerant search over the KldB 2010 job titles, so free text becomes a 5-digit code.

Counsellors type what a jobseeker says ("Elektronikerin", "techn. Zeichner (m/w/d)",
"Buerokaufmann"); the ranker needs the occupation type. Titles and queries go through the same
normalisation (``service.occupations.normalise``); rapidfuzz then compares the normalised
strings.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from service.occupations.kldb import (
    KLDB_DIR,
    ClassEntry,
    InvalidOccupationCode,
    OccupationMatch,
    TitleEntry,
    load_classes,
    load_job_titles,
)
from service.occupations.normalise import query_forms, title_forms

_CANDIDATES = 60  # per prefilter view; plenty for limit=10 and cheap to rescore
_CONFIDENT = 92.0  # below this best score a query probably has typos worth correcting
# A query that names only part of a title is weaker evidence than one naming all of it; naming
# the title's head ("Elektroniker/in" for "Elektroniker/in - Automatisierungstechnik") less so.
_SUBSET_WEIGHT = 0.9
_HEAD_WEIGHT = 0.95
# Class names ("Gebäudetechnik (o.S.) - Fachkraft") are generic; a job title saying the same
# thing is the more precise hit.
_CLASS_NAME_WEIGHT = 0.98


@lru_cache(maxsize=1 << 16)
def _word_grams(word: str) -> frozenset[str]:
    padded = f" {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _grams(form: str) -> frozenset[str]:
    return frozenset().union(*(_word_grams(word) for word in form.split()))


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _similarity(first: str, second: str) -> float:
    """Edit similarity 0-100 in which swapping two letters counts as one typo.

    Indel (``fuzz.ratio``) counts a swap as two edits and would rate "Lerntherapeut" as close
    to "Lhertherapeut" as "Lehrtherapeut"; OSA counts it as one.
    """
    return (fuzz.ratio(first, second) + 100 * OSA.normalized_similarity(first, second)) / 2


def _top(values: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.intp]:
    if len(values) <= count:
        return np.arange(len(values))
    return np.argpartition(values, -count)[-count:]


def _targets_by_form(
    classes: list[ClassEntry], titles: Iterable[TitleEntry]
) -> tuple[dict[str, dict[str, str]], set[str]]:
    """Normalised form -> {code: original title}, and which forms come from job titles."""
    job_titles = [(t.kldb5, t.title) for t in titles]
    names = [(c.code, n) for c in classes if c.level == 5 for n in (c.title, c.short_title)]
    targets: dict[str, dict[str, str]] = {}
    job_title_forms: set[str] = set()
    for number, (code, title) in enumerate(itertools.chain(job_titles, names)):
        for form in title_forms(title):
            targets.setdefault(form, {}).setdefault(code, title)
            if number < len(job_titles):
                job_title_forms.add(form)
    return targets, job_title_forms


@dataclass(slots=True)
class _CodeHit:
    """The best score of one code and how many of its titles reach it (breaks ties)."""

    score: float
    title: str
    length: int
    titles: set[str]


class OccupationIndex:
    """All job titles and occupation-type names, normalised once and searched per query.

    A letter-trigram prefilter picks about a hundred candidates out of ~40,000 title forms in
    well under a millisecond; rapidfuzz then scores only those.
    """

    def __init__(self, classes: Iterable[ClassEntry], titles: Iterable[TitleEntry]) -> None:
        class_list = list(classes)
        self._class_titles = {c.code: c.title for c in class_list}
        self._known = frozenset(c.code for c in class_list if c.level == 5)
        targets, job_title_forms = _targets_by_form(class_list, titles)
        self._forms = list(targets)
        self._sorted_forms = [_sorted_words(form) for form in self._forms]
        self._targets = [tuple(targets[form].items()) for form in self._forms]
        self._weights = [1.0 if f in job_title_forms else _CLASS_NAME_WEIGHT for f in self._forms]
        self._known_words = frozenset(word for form in self._forms for word in form.split())
        self._word_pools = self._pool_words_by_length()
        self._index_grams()

    @classmethod
    def from_entries(
        cls, classes: Iterable[ClassEntry], titles: Iterable[TitleEntry]
    ) -> OccupationIndex:
        """Build from loaded CSV records or from database rows with the same fields."""
        return cls(classes, titles)

    def _index_grams(self) -> None:
        """Posting lists gram -> form positions, stored as slices of one sorted array."""
        gram_ids: dict[str, int] = {}
        word_grams = {
            word: [gram_ids.setdefault(gram, len(gram_ids)) for gram in _word_grams(word)]
            for word in sorted(self._known_words)
        }
        forms_total = len(self._forms)
        keys: list[int] = []  # one per (gram, form) pair
        for position, form in enumerate(self._forms):
            keys.extend(
                {gram * forms_total + position for w in form.split() for gram in word_grams[w]}
            )
        ordered = np.sort(np.array(keys, dtype=np.int64))
        gram_column, form_column = np.divmod(ordered, forms_total)
        bounds = np.searchsorted(gram_column, np.arange(len(gram_ids) + 1))
        postings = form_column.astype(np.int32)
        self._gram_ids = gram_ids
        self._postings = [postings[bounds[i] : bounds[i + 1]] for i in range(len(gram_ids))]
        self._gram_counts = np.bincount(postings, minlength=forms_total).astype(np.float32)

    def _pool_words_by_length(self) -> dict[int, list[str]]:
        """Per word length, the index words one or two typos could have come from."""
        by_length: dict[int, list[str]] = {}
        for word in sorted(self._known_words):
            by_length.setdefault(len(word), []).append(word)
        return {
            length: [w for near in range(length - 2, length + 3) for w in by_length.get(near, [])]
            for length in range(1, max(by_length, default=0) + 3)
        }

    def __len__(self) -> int:
        """Number of distinct normalised title forms searched."""
        return len(self._forms)

    def is_known_code(self, code: str) -> bool:
        """Whether ``code`` is a 5-digit occupation type of the classification."""
        return code in self._known

    def title_of(self, code: str) -> str | None:
        """The official class title for a code of any level, ``None`` if unknown."""
        return self._class_titles.get(code)

    @staticmethod
    def skill_level(code: str) -> int:
        """The 5th digit: 1 helper, 2 skilled worker, 3 specialist, 4 expert."""
        if len(code) != 5 or not code.isdigit() or code[4] not in "1234":
            raise InvalidOccupationCode(f"not a 5-digit KldB occupation code: {code!r}")
        return int(code[4])

    def search(self, query: str, limit: int = 10) -> list[OccupationMatch]:
        """Best matching occupation types for free text, one per code, best first."""
        if limit <= 0:
            return []
        scores: dict[int, float] = {}
        for form in query_forms(query):
            scored = dict(self._score(form, self._candidates(form)))
            if max(scored.values(), default=0.0) < _CONFIDENT:
                for corrected in self._corrected(form):
                    extra = set(self._candidates(corrected)) - scored.keys()
                    scored.update(self._score(form, extra))
            for position, score in scored.items():
                scores[position] = max(score, scores.get(position, 0.0))
        return self._by_code(scores, limit)

    def _candidates(self, form: str) -> list[int]:
        """Forms sharing the most letter trigrams with the query.

        Two views: overall overlap (Dice) finds the title with a typo or swapped words,
        containment finds the longer titles that a short query names only part of.
        """
        grams = _grams(form)
        ids = [self._gram_ids[gram] for gram in grams if gram in self._gram_ids]
        if not ids:
            return []
        shared = np.bincount(np.concatenate([self._postings[i] for i in ids]))
        present = np.flatnonzero(shared)  # argpartition crawls over the many zero ties
        common = shared[present].astype(np.float32)
        dice = 2 * common / (len(grams) + self._gram_counts[present])
        contained = common / len(grams) + 0.01 * dice
        picked = np.union1d(_top(dice, _CANDIDATES), _top(contained, _CANDIDATES))
        return [int(position) for position in present[picked]]

    def _corrected(self, form: str) -> list[str]:
        """The query with unknown words replaced by their nearest index words.

        Two typos in a short word leave too few trigrams in common for the prefilter; the
        corrected query only finds candidates, scoring still uses what was typed.
        """
        words = form.split()
        unknown = [w for w in set(words) if w not in self._known_words and len(w) >= 4]
        if not unknown:
            return []
        nearest = {word: self._nearest_words(word) for word in unknown}
        return [
            " ".join(nearest[w][rank] if len(nearest.get(w, ())) > rank else w for w in words)
            for rank in range(2)
        ]

    def _nearest_words(self, word: str) -> list[str]:
        """The two index words closest to ``word``."""
        pool = self._word_pools.get(len(word), [])
        hits = process.extract(word, pool, scorer=fuzz.ratio, limit=2, score_cutoff=60)
        return [hit[0] for hit in hits]

    def _score(self, form: str, candidates: Iterable[int]) -> Iterable[tuple[int, float]]:
        sorted_form = _sorted_words(form)
        for position in candidates:
            candidate = self._forms[position]
            whole = _similarity(form, candidate)
            sorted_candidate = self._sorted_forms[position]
            if sorted_form != form or sorted_candidate != candidate:
                whole = max(whole, _similarity(sorted_form, sorted_candidate))
            part = fuzz.token_set_ratio(form, candidate)
            if part == 100 and f"{candidate} ".startswith(f"{form} "):
                part = _HEAD_WEIGHT * 100  # the base occupation, specialisation left out
            else:
                part *= _SUBSET_WEIGHT
            yield position, self._weights[position] * max(whole, part)

    def _by_code(self, scores: dict[int, float], limit: int) -> list[OccupationMatch]:
        """One hit per code; among equal scores the code with more such titles comes first."""
        hits: dict[str, _CodeHit] = {}
        cutoff = -1.0
        for position, score in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
            if score < cutoff:
                break  # lower scores can neither enter the top nor break its ties
            length = len(self._forms[position])
            for code, title in self._targets[position]:
                hit = hits.get(code)
                if hit is None:
                    hits[code] = _CodeHit(score, title, length, {title})
                elif score == hit.score:
                    hit.titles.add(title)
                    if length < hit.length:
                        hit.title, hit.length = title, length
            if cutoff < 0 and len(hits) >= limit:
                cutoff = score
        ranked = sorted(
            hits.items(),
            key=lambda item: (-item[1].score, -len(item[1].titles), item[1].length, item[0]),
        )
        return [
            OccupationMatch(code=code, title=hit.title, score=round(hit.score, 1))
            for code, hit in ranked[:limit]
        ]


def build_default_index(path: Path = KLDB_DIR) -> OccupationIndex:
    """The index over the shipped KldB files, for scripts and tests."""
    return OccupationIndex.from_entries(load_classes(path), load_job_titles(path))
