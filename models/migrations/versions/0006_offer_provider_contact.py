"""offer and provider contact fields

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 21:20:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Server defaults so that existing rows migrate; the application always writes the columns.
PROVIDER_COLUMNS: tuple[tuple[str, Any, str | None], ...] = (
    ("street", sa.String(200), ""),
    ("postcode", sa.String(10), ""),
    ("city", sa.String(100), "Krefeld"),
    ("latitude", sa.Float(), None),
    ("longitude", sa.Float(), None),
    ("phone", sa.String(40), ""),
    ("email", sa.String(200), ""),
    ("website", sa.String(300), ""),
    ("contact_role", sa.String(100), ""),
)
OFFER_COLUMNS: tuple[tuple[str, Any, str | None], ...] = (
    ("venue_street", sa.String(200), ""),
    ("venue_postcode", sa.String(10), ""),
    ("venue_city", sa.String(100), ""),
    ("registration_url", sa.String(500), ""),
    ("registration_deadline", sa.Date(), None),
    ("azav_measure_number", sa.String(40), ""),
    ("funding_note", sa.String(500), ""),
)


#: A table rebuilt on SQLite keeps AUTOINCREMENT (ids of deleted rows are never reused).
KEEP_IDS = {"sqlite_autoincrement": True}


def _column(name: str, type_: Any, default: str | None) -> sa.Column[Any]:
    if default is None:
        return sa.Column(name, type_, nullable=True)
    return sa.Column(name, type_, nullable=False, server_default=default)


def upgrade() -> None:
    with op.batch_alter_table("provider", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        for name, type_, default in PROVIDER_COLUMNS:
            batch_op.add_column(_column(name, type_, default))
    with op.batch_alter_table("offer", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(
            sa.Column("rolling_entry", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        for name, type_, default in OFFER_COLUMNS:
            batch_op.add_column(_column(name, type_, default))


def downgrade() -> None:
    with op.batch_alter_table("offer", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        for name, _type, _default in reversed(OFFER_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("rolling_entry")
    with op.batch_alter_table("provider", schema=None, table_kwargs=KEEP_IDS) as batch_op:
        for name, _type, _default in reversed(PROVIDER_COLUMNS):
            batch_op.drop_column(name)
