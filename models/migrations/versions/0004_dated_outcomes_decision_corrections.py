"""dated outcomes with versions, correctable decisions, synthetic history flag

Revision ID: 0004
Revises: 0003

Existing outcomes keep their values as version 1 with unknown dates (NULL); existing decisions
are current. Should a recommendation already carry two current final decisions (the race this
migration closes), the later ones are marked superseded so that the unique index can be built.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FINAL = "action IN ('accepted', 'override', 'no_measure')"
CURRENT_FINAL = sa.text(f"{FINAL} AND superseded_at IS NULL")


def _synthetic() -> sa.Column[bool]:
    return sa.Column("synthetic", sa.Boolean(), server_default=sa.false(), nullable=False)


SQLITE_SELF_REFERENCE = {
    "decision": "ALTER TABLE decision ADD COLUMN corrects_id INTEGER REFERENCES decision (id)",
    "outcome": "ALTER TABLE outcome ADD COLUMN corrects_id INTEGER REFERENCES outcome (id)",
}


def _add_self_reference(table: str) -> None:
    """``corrects_id`` in place: SQLite accepts a REFERENCES clause in ADD COLUMN, which keeps
    the table from being rebuilt."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text(SQLITE_SELF_REFERENCE[table]))
        return
    op.add_column(
        table,
        sa.Column(
            "corrects_id",
            sa.Integer(),
            sa.ForeignKey(f"{table}.id", name=f"fk_{table}_corrects_id_{table}"),
            nullable=True,
        ),
    )


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, never a table rebuild: on SQLite a rebuild of
    # ``recommendation`` under enforced foreign keys would cascade-delete its decisions.
    op.add_column("recommendation", _synthetic())

    _add_self_reference("decision")
    op.add_column("decision", sa.Column("correction_reason", sa.String(length=32), nullable=True))
    op.add_column(
        "decision",
        sa.Column("superseded_at", models.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column("decision", _synthetic())
    # Later duplicates of a final decision (possible before this constraint) become history.
    op.execute(
        sa.text(
            "UPDATE decision SET superseded_at = created_at "
            "WHERE action IN ('accepted', 'override', 'no_measure') AND id > ("
            "SELECT MIN(d2.id) FROM decision d2 WHERE d2.request_id = decision.request_id "
            "AND d2.action IN ('accepted', 'override', 'no_measure'))"
        )
    )
    op.create_index(
        "uq_decision_current_final",
        "decision",
        ["request_id"],
        unique=True,
        sqlite_where=CURRENT_FINAL,
        postgresql_where=CURRENT_FINAL,
    )

    for name in ("started_on", "ended_on", "employed_6m_on", "employed_12m_on"):
        op.add_column("outcome", sa.Column(name, sa.Date(), nullable=True))
    op.add_column("outcome", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    _add_self_reference("outcome")
    op.add_column(
        "outcome",
        sa.Column("superseded_at", models.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column("outcome", _synthetic())


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        if not sqlite:  # SQLite's in-place reference is unnamed and goes with its column
            batch_op.drop_constraint("fk_outcome_corrects_id_outcome", type_="foreignkey")
        for name in (
            "synthetic",
            "superseded_at",
            "corrects_id",
            "version",
            "employed_12m_on",
            "employed_6m_on",
            "ended_on",
            "started_on",
        ):
            batch_op.drop_column(name)

    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index("uq_decision_current_final")
        if not sqlite:
            batch_op.drop_constraint("fk_decision_corrects_id_decision", type_="foreignkey")
        for name in ("synthetic", "superseded_at", "correction_reason", "corrects_id"):
            batch_op.drop_column(name)

    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_column("synthetic")
