"""Providers of imported runs: matched by normalised name and postcode, created when new.

The course database names a provider as it is shown ("Bildungswerk Krefeld gGmbH"), so names
are compared without legal form, case, umlauts and punctuation, and with rapidfuzz within the
same postcode. A matched provider only gets blank address or contact fields filled in; what the
coordination office entered is never overwritten by an import.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import District, ProviderKind
from models.provider import Provider
from service.core import audit
from service.core.audit import Actor
from service.core.versioning import flush_versioned
from service.offers import providers
from service.offers.wbs_mapping import ProviderData

NAME_THRESHOLD = 90.0
_LEGAL_FORMS = re.compile(
    r"\b(g?gmbh|mbh|e\s?v|ev|ag|kg|ug|co|gemeinnuetzige?|haftungsbeschraenkt)\b"
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_name(name: str) -> str:
    folded = name.casefold().replace("ß", "ss")
    folded = folded.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    words = _NON_WORD.sub(" ", folded)
    return " ".join(_LEGAL_FORMS.sub(" ", words).split())


class ProviderMatcher:
    """All providers read once per import; new ones are added as they are created."""

    def __init__(self, session: Session, *, by: Actor) -> None:
        self.session = session
        self.by = by
        self._fields = frozenset(Provider.model_fields)
        self.created = 0
        # Plain snapshots, so that filling blanks never leaves dirty ORM objects behind.
        self._providers: dict[int, dict[str, Any]] = {}
        self._by_postcode: dict[str, dict[int, str]] = {}
        self._by_name: dict[str, int] = {}
        self._cache: dict[tuple[str, str], int] = {}
        for provider in session.exec(select(Provider).order_by(col(Provider.id))):
            self._remember(provider)

    def _remember(self, provider: Provider) -> None:
        assert provider.id is not None
        snapshot = {name: getattr(provider, name) for name in self._fields}
        self._providers[provider.id] = snapshot
        postcode = str(snapshot.get("postcode") or "")
        name = normalise_name(provider.name)
        self._by_postcode.setdefault(postcode, {})[provider.id] = name
        self._by_name.setdefault(name, provider.id)

    def address_of(self, provider_id: int) -> tuple[str, str]:
        """Street and postcode on record (empty before the address fields exist)."""
        snapshot = self._providers[provider_id]
        return str(snapshot.get("street") or ""), str(snapshot.get("postcode") or "")

    def resolve(self, data: ProviderData, *, district: District, funded: bool) -> int:
        key = (normalise_name(data.name), data.postcode)
        if key not in self._cache:
            found = self._find(*key)
            if found is None:
                found = self._create(data, district=district, funded=funded)
            else:
                self._fill_blanks(found, data)
            self._cache[key] = found
        return self._cache[key]

    def _find(self, name: str, postcode: str) -> int | None:
        """Same name and postcode; a similar name at the same postcode; the same name
        elsewhere (another site of the organisation: the run's address becomes the venue)."""
        pool = self._by_postcode.get(postcode, {})
        exact = [pid for pid, other in pool.items() if other == name]
        if exact:
            return exact[0]
        if pool:
            hit = process.extractOne(
                name, pool, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_THRESHOLD
            )
            if hit is not None:
                return int(hit[2])
        return self._by_name.get(name)

    def _extra(self, data: ProviderData) -> dict[str, Any]:
        return {k: v for k, v in data.as_values().items() if k in self._fields}

    def _create(self, data: ProviderData, *, district: District, funded: bool) -> int:
        provider = Provider(
            name=data.name,
            kind=ProviderKind.EDUCATION_PROVIDER,
            district=district,
            azav_certified=funded,  # approved for funding implies AZAV certification
            **self._extra(data),
        )
        self.session.add(provider)
        self.session.flush()
        audit.record(
            self.session,
            "provider.create",
            "provider",
            provider.id,
            detail={"source": "wbs"},
            by=self.by,
        )
        self._remember(provider)
        self.created += 1
        assert provider.id is not None
        return provider.id

    def _fill_blanks(self, provider_id: int, data: ProviderData) -> None:
        provider = self._providers[provider_id]
        blanks = {
            k: v
            for k, v in self._extra(data).items()
            if v not in (None, "") and provider.get(k) in (None, "")
        }
        if not blanks:
            return
        # The row as it is now, locked: what the office entered meanwhile is not overwritten.
        row = self.session.get(Provider, provider_id, populate_existing=True, with_for_update=True)
        blanks = {k: v for k, v in blanks.items() if row and getattr(row, k) in (None, "")}
        if row is None or not blanks:
            return
        for name, value in blanks.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        flush_versioned(self.session, row, providers.stale)
        provider.update(blanks)
        audit.record(
            self.session,
            "provider.update",
            "provider",
            provider_id,
            detail={"fields": sorted(blanks)},
            by=self.by,
        )
