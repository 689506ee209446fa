"""Forms of the model oversight pages: promotion, rollback and the kill switch with a reason."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import Field, TextAreaField
from wtforms.validators import Length, ValidationError

from service.ranking.registry import REASON_MAX_LENGTH
from service.web.forms import GermanForm

OVERRIDE_REASON_MISSING = _(
    "Bitte begründen Sie, warum diese Version trotz nicht bestandener Prüfungen aktiv werden soll."
)


class ReasonForm(GermanForm):
    """A state change with a reason for the audit trail; optional unless ``reason_required``."""

    reason = TextAreaField(
        _("Begründung"),
        description=_("Wird mit Ihrem Namen im Prüfprotokoll gespeichert."),
        validators=[Length(max=REASON_MAX_LENGTH, message=_("Höchstens 1000 Zeichen."))],
    )

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        self.reason.flags.required = reason_required
        if reason_required:
            self.reason.description = _(
                "Pflichtfeld. Wird mit Ihrem Namen und den nicht bestandenen Prüfungen im "
                "Prüfprotokoll gespeichert."
            )

    def validate_reason(self, field: Field) -> None:
        if self.reason_required and not (field.data or "").strip():
            raise ValidationError(OVERRIDE_REASON_MISSING)
