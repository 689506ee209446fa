"""offer text search: trigram indexes for the catalogue's full-text filter (PostgreSQL)

The catalogue search matches every word as a case-insensitive substring of title or
description (``lower(column) LIKE '%word%'``); GIN trigram indexes on exactly those expressions
answer it without a scan. SQLite has no such index and scans, with the same results.

Revision ID: 0008
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {"ix_offer_title_trgm": "title", "ix_offer_description_trgm": "description"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON offer USING gin (lower({column}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: other objects may use it, and it holds no data.
