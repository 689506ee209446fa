"""Normalisation shared by KldB titles and typed queries: gender forms, abbreviations, umlauts.

Titles and queries go through the same functions, so "Elektronikerin", "Elektroniker/in" and
"Elektroniker (m/w/d)" meet in one form; "techn. Zeichner" is spelled out before comparing.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

_MAX_READINGS = 4  # query readings tried when abbreviations are ambiguous

# Job ads append "(m/w/d)" and friends; they say nothing about the occupation.
_GENDER_NOTE = re.compile(
    r"\(\s*[mwdfix](?:\s*[/,|]\s*[mwdfix]){1,3}\s*\)|(?<!\w)[mwd](?:\s*/\s*[mwd]){2}(?!\w)",
    re.IGNORECASE,
)
_INFIX_E_ER = re.compile(r"(?<=\w)\((e|er)/in\)")  # Beamt(er/in), Gehilf(e/in)
_INFIX_IN = re.compile(r"(?<=[a-zäöüß])(?:In|[*:_]in|/-?[iI]n|\(in\))(?!\w)")  # Elektroniker/in
_INFIX_R = re.compile(r"(?<=e)(?:/r|\(r\))(?!\w)")  # Angestellte/r
_SLASH_SUFFIX = re.compile(r"(\w+)/-(\w+)")  # Bürokaufmann/-frau, Arzt/-ärztin
_SLASH_WORD = re.compile(r"(\w+)/(\w+)")  # Psychologe/Psychologin
# When "/-" gives a word that shares no start with the stem, swap these heads instead.
_COUNTERPARTS = {"frau": "mann", "pfleger": "schwester", "schwester": "pfleger"}
_ONE_TO_ONE = str.maketrans("äöüÄÖÜ", "aouAOU")

_WORD = re.compile(r"([^\W_]+)(\.)?")
_PLAIN_LETTERS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_ADJECTIVE = re.compile(r"(isch|lich|ig)(?:e|er|es|en)$")  # technische/r, kaufmännischer
_FILLER_WORDS = (
    "und u oder o als fur mit bei von vom auf in im am an zur zum der die das des dem den"
)
_STOPWORDS = frozenset(_FILLER_WORDS.split())


def _fold(text: str) -> str:
    """Lower case without diacritics; ae/oe/ue become a/o/u so all three spellings meet."""
    text = text.lower().translate(_PLAIN_LETTERS)
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _abbreviations(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {_fold(key): tuple(_fold(value) for value in values) for key, values in table.items()}


# Whole words; the first reading is what titles use, the others are tried for queries.
_WORD_ABBREVIATIONS = _abbreviations(
    {
        "techn": ("technische", "techniker"),
        "tech": ("technische", "techniker"),
        "kfm": ("kaufmann", "kaufmännische"),
        "kffr": ("kauffrau",),
        "kfr": ("kauffrau",),
        "kaufm": ("kaufmännische", "kaufmann"),
        "fachkr": ("fachkraft",),
        "ass": ("assistent",),
        "assist": ("assistent",),
        "ing": ("ingenieur",),
        "dipl": ("diplom",),
        "angest": ("angestellte",),
        "mitarb": ("mitarbeiter",),
        "sachb": ("sachbearbeiter",),
        "sachbearb": ("sachbearbeiter",),
        "verw": ("verwaltung",),
        "betriebsw": ("betriebswirt",),
        "mstr": ("meister",),
        "staatl": ("staatlich",),
        "gepr": ("geprüfte",),
        "ind": ("industrie",),
        "hw": ("handwerk",),
        "wirtsch": ("wirtschaft",),
        "med": ("medizinische",),
        "allg": ("allgemeine",),
        "masch": ("maschinen",),
        "fachverk": ("fachverkäufer",),
        "verk": ("verkäufer",),
        "ltr": ("leiter",),
        "stellv": ("stellvertretende",),
        "hausw": ("hauswirtschaft",),
        "geh": ("gehobener",),
        "mittl": ("mittlerer",),
        "hoh": ("höherer",),
        "einf": ("einfacher",),
    }
)
# Ends of compounds, only when written with a dot ("Bürokfm.", "Bauing."): without the dot
# "-ing" is far more often English ("Marketing").
_SUFFIX_ABBREVIATIONS = _abbreviations(
    {
        "kfm": ("kaufmann",),
        "kffr": ("kauffrau",),
        "fachkr": ("fachkraft",),
        "techn": ("technik", "techniker"),
        "ing": ("ingenieur",),
        "angest": ("angestellte",),
        "wirtsch": ("wirtschaft",),
        "mstr": ("meister",),
    }
)


def _shared_start(first: str, second: str) -> int:
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count


def _attach(stem: str, ending: str) -> str:
    """Spell out the second form of ``Assistenzarzt/-ärztin`` or ``Bürokaufmann/-frau``."""
    plain_stem, plain_ending = stem.lower().translate(_ONE_TO_ONE), ending.lower()
    plain_ending = plain_ending.translate(_ONE_TO_ONE)
    best, cut = 2, -1
    for start in range(len(plain_stem)):
        shared = _shared_start(plain_stem[start:], plain_ending)
        if shared >= best:
            best, cut = shared, start
    if cut >= 0:
        return stem[:cut] + ending
    head = _COUNTERPARTS.get(plain_ending)
    if head and plain_stem.endswith(head):
        return stem[: -len(head)] + ending
    return f"{stem} {ending}"  # two occupations: "Automatenbefüller/-kassierer"


def _gendered(text: str, *, female: bool) -> str:
    """Resolve the gender notations of KldB titles and job ads to one form.

    The substring checks skip most regular expressions for most titles; building the index
    runs this 40,000 times.
    """
    if "/" in text or "(" in text:
        text = _GENDER_NOTE.sub(" ", text)
    if "/in" in text and "(" in text:
        text = _INFIX_E_ER.sub(lambda m: "in" if female else m.group(1), text)
    text = _INFIX_IN.sub("in" if female else "", text)
    if "r" in text and ("/r" in text or "(r)" in text):
        text = _INFIX_R.sub("" if female else "r", text)
    if "/-" in text:
        text = _SLASH_SUFFIX.sub(
            lambda m: _attach(m.group(1), m.group(2)) if female else m.group(1), text
        )
    if "/" in text:
        text = _SLASH_WORD.sub(lambda m: _one_of_pair(m, female=female), text)
    return text


def _one_of_pair(match: re.Match[str], *, female: bool) -> str:
    """``Psychologe/Psychologin`` is one word in two forms, ``Elektro/Sanitär`` two words."""
    first, second = match.group(1), match.group(2)
    if _fold(first)[:3] != _fold(second)[:3] or not second.lower().endswith("in"):
        return f"{first} {second}"
    return second if female else first


def _spelled_out(word: str, dotted: bool) -> tuple[str, ...]:
    if word in _WORD_ABBREVIATIONS:
        return _WORD_ABBREVIATIONS[word]
    if dotted:
        for short, long_forms in _SUFFIX_ABBREVIATIONS.items():
            if word.endswith(short) and len(word) > len(short):
                return tuple(word[: -len(short)] + form for form in long_forms)
    return (word,)


@lru_cache(maxsize=1 << 16)
def _readings(word: str, dotted: bool) -> tuple[str, ...]:
    """A folded word's spelled-out forms without adjective endings; empty for filler words."""
    return tuple(
        _ADJECTIVE.sub(r"\1", reading)
        for reading in _spelled_out(word, dotted)
        if reading not in _STOPWORDS and len(reading) > 1
    )


def _word_readings(text: str) -> list[tuple[str, ...]]:
    """Per word of ``text``, its possible spelled-out forms, folded and without filler words."""
    words: list[tuple[str, ...]] = []
    for match in _WORD.finditer(_fold(text)):
        readings = _readings(match.group(1), bool(match.group(2)))
        if readings:
            words.append(readings)
    return words


def normalise(text: str) -> str:
    """The canonical form titles are indexed under (male/neutral reading)."""
    return " ".join(readings[0] for readings in _word_readings(_gendered(text, female=False)))


def title_forms(title: str) -> list[str]:
    """The male/neutral and the female reading of a title (often the same)."""
    forms = (
        " ".join(readings[0] for readings in _word_readings(_gendered(title, female=female)))
        for female in (False, True)
    )
    return [form for form in dict.fromkeys(forms) if form]


def query_forms(query: str) -> list[str]:
    words = _word_readings(_gendered(query, female=False))
    combos = itertools.islice(itertools.product(*words), _MAX_READINGS)
    return [" ".join(combo) for combo in combos if combo]
