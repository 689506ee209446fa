"""offer catalogue search: trigram indexes (PostgreSQL) and the start-date table

The catalogue search matches every word as a case-insensitive substring of title or
description (``lower(column) LIKE '%word%'``); GIN trigram indexes on exactly those expressions
answer it without a scan on PostgreSQL. SQLite has no such index and scans, with the same
results.

``offer_start`` holds one row per start date, kept by triggers on ``offer`` (insert, and
update of ``start_dates``; rows go with the offer by cascade), so "next start on or before"
and the order by next start are index lookups instead of parsing JSON per row. Existing offers
are copied in.

Revision ID: 0008
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {"ix_offer_title_trgm": "title", "ix_offer_description_trgm": "description"}

SQLITE_TRIGGERS = (
    """CREATE TRIGGER offer_start_insert AFTER INSERT ON offer BEGIN
    INSERT OR IGNORE INTO offer_start (offer_id, start_date)
        SELECT NEW.id, value FROM json_each(NEW.start_dates);
END""",
    """CREATE TRIGGER offer_start_update AFTER UPDATE OF start_dates ON offer BEGIN
    DELETE FROM offer_start WHERE offer_id = NEW.id;
    INSERT OR IGNORE INTO offer_start (offer_id, start_date)
        SELECT NEW.id, value FROM json_each(NEW.start_dates);
END""",
)
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION offer_start_sync() RETURNS trigger AS $$
BEGIN
    DELETE FROM offer_start WHERE offer_id = NEW.id;
    INSERT INTO offer_start (offer_id, start_date)
        SELECT DISTINCT NEW.id, value::date FROM json_array_elements_text(NEW.start_dates) AS value;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
POSTGRES_TRIGGER = (
    "CREATE TRIGGER offer_start_sync AFTER INSERT OR UPDATE OF start_dates ON offer "
    "FOR EACH ROW EXECUTE FUNCTION offer_start_sync()"
)


def upgrade() -> None:
    op.create_table(
        "offer_start",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("offer_id", "start_date"),
    )
    op.create_index("ix_offer_start_start_date", "offer_start", ["start_date"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON offer USING gin (lower({column}) gin_trgm_ops)")
        op.execute(
            "INSERT INTO offer_start (offer_id, start_date) SELECT DISTINCT offer.id, "
            "value::date FROM offer, json_array_elements_text(offer.start_dates) AS value"
        )
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
    else:
        op.execute(
            "INSERT OR IGNORE INTO offer_start (offer_id, start_date) "
            "SELECT offer.id, value FROM offer, json_each(offer.start_dates)"
        )
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS offer_start_sync ON offer")
        op.execute("DROP FUNCTION IF EXISTS offer_start_sync()")
        for name in INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        # The pg_trgm extension stays: other objects may use it, and it holds no data.
    else:
        op.execute("DROP TRIGGER IF EXISTS offer_start_insert")
        op.execute("DROP TRIGGER IF EXISTS offer_start_update")
    op.drop_index("ix_offer_start_start_date", table_name="offer_start")
    op.drop_table("offer_start")
