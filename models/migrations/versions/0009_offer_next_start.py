"""offer search: stored next start; full-text trigram index on SQLite


The catalogue orders by next start (and by travel time, then next start) and filters by "starts
before"; looking up each offer's next start in ``offer_start`` costs one index search per
matching offer. ``offer.next_start`` holds the first start on or after ``next_start_from``, the
date the start dates were last written (Krefeld's date on PostgreSQL, the UTC date on SQLite,
which is never later than Krefeld's). For any day D from ``next_start_from`` on, a stored value
that is NULL or not before D is exactly the next start on or after D; otherwise the search falls
back to ``offer_start``. Kept by triggers on insert and on update of ``start_dates``;
existing offers are filled in here.

SQLite has no trigram index for ``lower(column) LIKE '%word%'`` and scans every offer.
``offer_text`` is a contentless FTS5 table with the trigram tokenizer over ``lower(title)`` and
``lower(description)`` (rowid = offer id), kept by triggers on insert, update of title or
description, and delete. The search uses it to narrow the candidates and still applies its own
LIKE to them, so results do not change; an entry left over from a delete with other values only
costs a candidate. PostgreSQL keeps its trigram indexes (0008).

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_SET = """UPDATE offer SET next_start_from = date('now'),
        next_start = (SELECT min(value) FROM json_each(offer.start_dates)
                      WHERE value >= date('now'))"""
SQLITE_TRIGGERS = {
    "offer_next_start_insert": "AFTER INSERT ON offer",
    "offer_next_start_update": "AFTER UPDATE OF start_dates ON offer",
}
POSTGRES_TODAY = "(now() AT TIME ZONE 'Europe/Berlin')::date"
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION offer_next_start_sync() RETURNS trigger AS $$
BEGIN
    NEW.next_start_from := TODAY;
    NEW.next_start := (
        SELECT min(value::date) FROM json_array_elements_text(NEW.start_dates) AS value
        WHERE value::date >= NEW.next_start_from
    );
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""".replace("TODAY", POSTGRES_TODAY)
POSTGRES_TRIGGER = (
    "CREATE TRIGGER offer_next_start_sync BEFORE INSERT OR UPDATE OF start_dates ON offer "
    "FOR EACH ROW EXECUTE FUNCTION offer_next_start_sync()"
)


TEXT = "offer_text"  # models.offer.TEXT_INDEX_TABLE, as of this revision
TEXT_VALUES = "{row}.id, lower({row}.title), lower(coalesce({row}.description, ''))"
TEXT_TRIGGERS = {
    "offer_text_insert": ("AFTER INSERT ON offer", ("NEW",)),
    "offer_text_update": ("AFTER UPDATE OF title, description ON offer", ("OLD", "NEW")),
    "offer_text_delete": ("AFTER DELETE ON offer", ("OLD",)),
}


def _text_statement(row: str) -> str:
    values = TEXT_VALUES.format(row=row)
    if row == "OLD":
        return (
            f"INSERT INTO {TEXT} ({TEXT}, rowid, title, description) VALUES ('delete', {values});"  # noqa: S608
        )
    return f"INSERT INTO {TEXT} (rowid, title, description) VALUES ({values});"  # noqa: S608


def _sqlite_text_index() -> None:
    # ``lower`` is the Unicode lower() that service.db registers on every connection.
    op.execute(
        f"CREATE VIRTUAL TABLE {TEXT} USING fts5("
        "title, description, tokenize='trigram', content='')"
    )
    op.execute(
        f"INSERT INTO {TEXT} (rowid, title, description) "  # noqa: S608
        "SELECT id, lower(title), lower(coalesce(description, '')) FROM offer"
    )
    for name, (event, rows) in TEXT_TRIGGERS.items():
        body = "\n    ".join(_text_statement(row) for row in rows)
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN\n    {body}\nEND")


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): the offer triggers of 0008 stay in place.
    op.add_column("offer", sa.Column("next_start", sa.Date(), nullable=True))
    op.add_column("offer", sa.Column("next_start_from", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
        op.execute(
            f"UPDATE offer SET next_start_from = {POSTGRES_TODAY}, next_start = ("  # noqa: S608
            "SELECT min(value::date) FROM json_array_elements_text(offer.start_dates) AS value "
            f"WHERE value::date >= {POSTGRES_TODAY})"
        )
    else:
        op.execute(SQLITE_SET)
        for name, event in SQLITE_TRIGGERS.items():
            row = SQLITE_SET.replace("offer.start_dates", "NEW.start_dates")
            op.execute(
                f"CREATE TRIGGER {name} {event} BEGIN\n    {row}\n    WHERE id = NEW.id;\nEND"
            )
        _sqlite_text_index()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS offer_next_start_sync ON offer")
        op.execute("DROP FUNCTION IF EXISTS offer_next_start_sync()")
    else:
        for name in [*SQLITE_TRIGGERS, *TEXT_TRIGGERS]:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {TEXT}")
    # SQLite drops a column in place (3.35+), so no rebuild that would lose 0008's triggers.
    op.drop_column("offer", "next_start_from")
    op.drop_column("offer", "next_start")
