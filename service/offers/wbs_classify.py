"""What kind of measure a course-database run is, and which occupation it leads to.

The federal course database carries no measure type and no KldB code, so both are inferred.
``RULES`` is an ordered table: the first rule whose pattern occurs in one of its fields wins.
Specific instruments come first (their names are unambiguous and often appear together with
generic words such as "Zertifikat"), generic signals last. A hit in the title or the certificate
is confident; a hit only in the content text is a hint: the run then gets the fallback type and
a review flag naming the hint, so the coordinator decides instead of the importer guessing.

The fallback is ``ANPASSUNGSQUALIFIZIERUNG``: the plain FbW course is what most funded runs in
the database are, it carries no eligibility rule of its own (unlike youth or language
instruments, which would wrongly exclude or include people) and the widest plausible length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _

from models.enums import MeasureType
from service.occupations import OccupationIndex

M = MeasureType
FALLBACK = M.ANPASSUNGSQUALIFIZIERUNG
KLDB_MIN_SCORE = 88.0  # below this the matcher's best hit is usually a different occupation


class Field(StrEnum):
    TITLE = "title"
    CERTIFICATE = "certificate"  # abschlussart and abschlussbezeichnung
    CONTENT = "content"


CONFIDENT_FIELDS = frozenset({Field.TITLE, Field.CERTIFICATE})
T, C, X = Field.TITLE, Field.CERTIFICATE, Field.CONTENT


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    measure_type: MeasureType
    pattern: re.Pattern[str]
    fields: tuple[Field, ...]


def _rule(name: str, measure_type: MeasureType, pattern: str, *fields: Field) -> Rule:
    return Rule(name, measure_type, re.compile(pattern, re.IGNORECASE), fields or (T, C, X))


RULES: tuple[Rule, ...] = (
    _rule("berufssprachkurs", M.BERUFSSPRACHKURS, r"berufssprach|deuf[öo]e?v|\bbsk\b"),
    _rule("deutsch_beruf", M.BERUFSSPRACHKURS, r"deutsch (f[üu]r den|im) beruf|berufsbezogene"),
    _rule("integrationskurs", M.INTEGRATIONSKURS, r"integrationskurs|alphabetisierungskurs"),
    _rule("anerkennung", M.ANERKENNUNG, r"anerkennung|anpassungslehrgang|kenntnispr[üu]fung"),
    _rule("teilzeitausbildung", M.TEILZEITAUSBILDUNG, r"teilzeitausbildung|teilzeitberufsaus"),
    _rule("teilqualifizierung", M.TEILQUALIFIZIERUNG, r"teilqualifi|\btq\s?\d|\btq\b"),
    _rule("umschulung", M.UMSCHULUNG, r"umschulung|umsch[üu]ler|externenpr[üu]fung"),
    _rule(
        "abschlusspruefung",
        M.UMSCHULUNG,
        r"abschlusspr[üu]fung|gesellenpr[üu]fung|facharbeiterpr[üu]fung",
        C,
    ),
    _rule("einstiegsqualifizierung", M.EINSTIEGSQUALIFIZIERUNG, r"einstiegsqualifi|\beq\b"),
    _rule("berufsvorbereitung", M.BERUFSVORBEREITUNG, r"berufsvorbereit|\bbvb\b"),
    _rule("assistierte_ausbildung", M.ASSISTIERTE_AUSBILDUNG, r"assistierte ausbildung|\basa\b"),
    _rule("wiedereinstieg", M.WIEDEREINSTIEG, r"wiedereinstieg|berufsr[üu]ckkehr"),
    _rule("teilhabe", M.TEILHABE_AM_ARBEITSMARKT, r"teilhabe am arbeitsmarkt|§\s?16[ie]\b"),
    _rule(
        "avgs",
        M.AKTIVIERUNG_COACHING,
        r"\bavgs\b|aktivierung|coaching|bewerbungstraining|§\s?45\b|vermittlungsbudget",
    ),
    _rule("grundbildung", M.GRUNDBILDUNG, r"grundbildung|alphabetisierung|grundkompetenz"),
    _rule(
        "anpassung",
        M.ANPASSUNGSQUALIFIZIERUNG,
        r"anpassungsqualifi|fortbildung|weiterbildung|lehrgang|schulung|qualifizierung"
        r"|schein\b|zertifikat|sachkunde|aufbaukurs|kompaktkurs",
        T,
        C,
    ),
)

# Words that name the instrument, not the occupation; removed before the occupation search.
_INSTRUMENT_WORDS = re.compile(
    r"\b(umschulung|teilqualifi\w*|tq\s?\d*|modul\s?\d*|vorbereitung auf|externenpr[üu]fung"
    r"|abschlusspr[üu]fung|ihk|hwk|zertifikat|lehrgang|kurs|grundlagen)\b"
    r"|(?<![/-])\b(zum|zur|vor|der|die|das|den|dem|des|und|im|in|am|an|mit|auf|nach|bei)\b"
    r"|\(m/w/d\)|\(w/m/d\)|\d+|[-–:]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Classification:
    measure_type: MeasureType
    rule: str | None  # None: no rule fired
    field: Field | None
    confident: bool
    suggestion: MeasureType | None = None  # a content-only hint for the reviewer

    def flag(self) -> dict[str, object]:
        """The ``quality_flags`` entry recording how the type was found."""
        return {
            "code": "wbs_classification",
            "message": (
                _(
                    "Maßnahmeart aus dem Kursnetz abgeleitet (Regel „%(rule)s“, Feld %(field)s).",
                    rule=self.rule,
                    field=self.field,
                )
                if self.confident
                else _("Maßnahmeart nicht sicher erkennbar – bitte prüfen.")
            ),
            "rule": self.rule,
            "field": self.field.value if self.field else None,
            "confidence": "high" if self.confident else "low",
            "measure_type": self.measure_type.value,
            "suggestion": self.suggestion.value if self.suggestion else None,
        }


def classify(title: str, certificate: str, content: str) -> Classification:
    """The measure type by the first matching rule of ``RULES``."""
    texts = {T: title, C: certificate, X: content}
    hint: tuple[Rule, Field] | None = None
    for rule in RULES:
        for field in rule.fields:
            if not rule.pattern.search(texts[field]):
                continue
            if field in CONFIDENT_FIELDS:
                return Classification(rule.measure_type, rule.name, field, confident=True)
            hint = hint or (rule, field)
    if hint is None:
        return Classification(FALLBACK, None, None, confident=False)
    rule, field = hint
    return Classification(FALLBACK, rule.name, field, confident=False, suggestion=rule.measure_type)


def occupation_query(text: str) -> str:
    return " ".join(_INSTRUMENT_WORDS.sub(" ", text).split())


def target_occupations(index: OccupationIndex, *texts: str) -> tuple[list[str], float]:
    """KldB codes found in title and certificate name: the best hit per text at or above
    ``KLDB_MIN_SCORE``; also returns the best score seen (for the record)."""
    codes: list[str] = []
    best = 0.0
    for text in texts:
        query = occupation_query(text)
        if len(query) < 4:
            continue
        hits = index.search(query, limit=1)
        if not hits:
            continue
        best = max(best, hits[0].score)
        if hits[0].score >= KLDB_MIN_SCORE and hits[0].code not in codes:
            codes.append(hits[0].code)
    return codes, best
