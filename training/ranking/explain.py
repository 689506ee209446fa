"""Plain German reasons for a recommended offer, reproducible from the stored inputs."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from models.enums import GermanLevel, MeasureType, OfferFormat
from training.data.encoding import ProfileArrays, occupation_matrix
from training.data.features import KLDB_CLASSES
from training.data.occupation_fit import occupation_fit
from training.data.schema import OfferRecord, ProfileRecord
from training.ranking.labels import driver_label
from training.ranking.rules import SUITABILITY_REASON, suitability
from training.text import gettext as _

MAX_REASONS = 4
MEASURE_INDEX: dict[MeasureType, int] = {m: i for i, m in enumerate(MeasureType)}


@cache
def occupation_titles() -> dict[str, str]:
    classes = pd.read_csv(
        KLDB_CLASSES, dtype={"code": str}, usecols=["code", "level", "short_title"]
    )
    level5 = classes[classes["level"] == 5]
    return dict(zip(level5["code"], level5["short_title"], strict=True))


def _pp(value: float) -> str:
    return f"{value:+.1f}".replace(".", ",")


def occupation_reason(profile: ProfileRecord, offer: OfferRecord, fit: float) -> str | None:
    """Names the target occupation that matched best (not simply the first one named)."""
    if fit <= 0 or not profile.target_occupations:
        return None
    wanted = [c for c in occupation_matrix([profile.target_occupations])[0] if c >= 0]
    offered = occupation_matrix([offer.target_occupations])
    fits = [float(occupation_fit(np.array([c]), offered)[0]) for c in wanted]
    best = int(np.argmax(fits))
    if fits[best] <= 0:
        return None
    code = f"{wanted[best]:05d}"
    title = occupation_titles().get(code, code)
    if fits[best] >= 1.0:
        return _("Passt zu Ihrem Zielberuf %(title)s", title=title)
    return _("Verwandt mit Ihrem Zielberuf %(title)s", title=title)


def german_reason(profile: ProfileRecord, offer: OfferRecord) -> str | None:
    if offer.min_german_level is GermanLevel.A0:
        return None
    return _(
        "Deutschkenntnisse reichen (%(level)s, verlangt %(required)s)",
        level=profile.german_level.value,
        required=offer.min_german_level.value,
    )


def effect_reason(effect: float, low: float, high: float) -> str:
    return _(
        "Geschätzter Zugewinn an Beschäftigungschance nach 6 Monaten: %(pp)s Prozentpunkte "
        "(Spanne %(pp2)s bis %(pp3)s)",
        pp=_pp(100 * effect),
        pp2=_pp(100 * low),
        pp3=_pp(100 * high),
    )


def driver_reason(drivers: tuple[str, ...]) -> str | None:
    """Names the main drivers of the estimate (``training.ranking.drivers``), largest first."""
    if not drivers:
        return None
    names = ", ".join(driver_label(key) for key in drivers)
    return _("Geschätzter Nutzen vor allem wegen: %(names)s", names=names)


def practical_reasons(profile: ProfileRecord, offer: OfferRecord, minutes: int) -> list[str]:
    reasons: list[str] = []
    if (profile.care_duties or profile.single_parent) and offer.childcare:
        reasons.append(_("Kinderbetreuung wird angeboten"))
    if offer.part_time_possible and profile.hours_available < offer.hours_per_week:
        reasons.append(_("Teilnahme in Teilzeit möglich"))
    if offer.format is OfferFormat.ONLINE:
        reasons.append(_("Online-Teilnahme – keine Anfahrt"))
    else:
        reasons.append(_("Erreichbar in ca. %(minutes)s Minuten", minutes=minutes))
    return reasons


def reasons_for(
    profile: ProfileRecord,
    offer: OfferRecord,
    *,
    fit: float,
    minutes: int,
    effect: tuple[float, float, float] | None,
    suits: bool | None = None,
    drivers: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Up to ``MAX_REASONS`` reasons: occupation, measure type, model estimate and its main
    drivers, practicalities.

    ``suits`` (whether the measure type's suitability rule applies to the profile) may be passed
    in when it was already computed for the request; otherwise it is computed here. ``drivers``
    are the keys of ``training.ranking.labels.DRIVER_LABELS`` from
    ``training.ranking.drivers.main_drivers`` (model mode); they follow the estimate, which
    comes at most third, so they always fit.
    """
    measure = MEASURE_INDEX[offer.measure_type]
    if suits is None:
        p = ProfileArrays.from_record(profile)
        suits = float(suitability(p, np.array([measure]))[0]) > 0
    candidates = [
        occupation_reason(profile, offer, fit),
        SUITABILITY_REASON[measure] if suits else None,
        effect_reason(*effect) if effect is not None else None,
        driver_reason(drivers),
        german_reason(profile, offer),
        *practical_reasons(profile, offer, minutes),
    ]
    return tuple(r for r in candidates if r)[:MAX_REASONS]
