"""server-side web sessions, tokens collected by their owner, one-time TOTP steps

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)

    # Plain ALTER TABLE, never a batch copy: on SQLite, dropping the old app_user would cascade
    # into every table that references it (tokens, sessions) and delete their rows.
    op.add_column(
        "app_user",
        sa.Column(
            "password_change_required", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column("app_user", sa.Column("totp_last_step", sa.Integer(), nullable=True))

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prefix", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("collected_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=True)
    # Tokens issued before this revision were handed out when they were created.
    op.execute("UPDATE api_token SET collected_at = created_at WHERE collected_at IS NULL")


def downgrade() -> None:
    # Tokens still waiting for their owner have no value and cannot exist in the old schema.
    op.execute("DELETE FROM api_token WHERE token_hash IS NULL")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("collected_at")
        batch_op.drop_column("prefix")

    op.drop_column("app_user", "totp_last_step")  # plain ALTER TABLE, as in upgrade()
    op.drop_column("app_user", "password_change_required")

    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))
    op.drop_table("web_session")
