"""dated outcomes with versions, correctable decisions, synthetic history flag

Revision ID: 0004
Revises: 0001

Existing outcomes keep their values as version 1 with unknown dates (NULL); existing decisions
are current. Should a recommendation already carry two current final decisions (the race this
migration closes), the later ones are marked superseded so that the unique index can be built.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FINAL = "action IN ('accepted', 'override', 'no_measure')"
CURRENT_FINAL = sa.text(f"{FINAL} AND superseded_at IS NULL")


def _synthetic() -> sa.Column[bool]:
    return sa.Column("synthetic", sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.add_column(_synthetic())

    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("correction_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("superseded_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(_synthetic())
        batch_op.create_foreign_key(
            "fk_decision_corrects_id_decision",
            "decision",
            ["corrects_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Later duplicates of a final decision (possible before this constraint) become history.
    op.execute(
        sa.text(
            "UPDATE decision SET superseded_at = created_at "
            "WHERE action IN ('accepted', 'override', 'no_measure') AND id > ("
            "SELECT MIN(d2.id) FROM decision d2 WHERE d2.request_id = decision.request_id "
            "AND d2.action IN ('accepted', 'override', 'no_measure'))"
        )
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            "uq_decision_current_final",
            ["request_id"],
            unique=True,
            sqlite_where=CURRENT_FINAL,
            postgresql_where=CURRENT_FINAL,
        )

    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("employed_6m_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("employed_12m_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("superseded_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(_synthetic())
        batch_op.create_foreign_key(
            "fk_outcome_corrects_id_outcome",
            "outcome",
            ["corrects_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("outcome", schema=None) as batch_op:
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
        batch_op.drop_constraint("fk_decision_corrects_id_decision", type_="foreignkey")
        for name in ("synthetic", "superseded_at", "correction_reason", "corrects_id"):
            batch_op.drop_column(name)

    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_column("synthetic")
