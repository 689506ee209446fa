"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 10:47:27.950939
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDIT_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_object_id"), ["object_id"], unique=False)

    op.create_table(
        "occupation",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("short_title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupation_level"), ["level"], unique=False)

    op.create_table(
        "provider",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("azav_certified", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ranker_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("artifact", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("library_versions", sa.JSON(), nullable=False),
        sa.Column("training_window_start", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("training_window_end", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("n_train", sa.Integer(), nullable=False),
        sa.Column("n_test", sa.Integer(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("gates", sa.JSON(), nullable=False),
        sa.Column("model_card", sa.Text(), nullable=False),
        sa.Column("plots", sa.JSON(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ranker_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ranker_version_version"), ["version"], unique=True)

    op.create_table(
        "app_user",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_username"), ["username"], unique=True)

    op.create_table(
        "occupation_title",
        sa.Column("job_code", sa.String(length=12), nullable=False),
        sa.Column("kldb5", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["kldb5"],
            ["occupation.code"],
        ),
        sa.PrimaryKeyConstraint("job_code"),
    )
    with op.batch_alter_table("occupation_title", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupation_title_kldb5"), ["kldb5"], unique=False)

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_token_hash"), ["token_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "offer",
        sa.Column("external_ref", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("measure_type", sa.String(length=32), nullable=False),
        sa.Column("target_occupations", sa.JSON(), nullable=False),
        sa.Column("certificate", sa.String(length=200), nullable=False),
        sa.Column("funding", sa.JSON(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("part_time_possible", sa.Boolean(), nullable=False),
        sa.Column("childcare", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("min_german_level", sa.String(length=2), nullable=False),
        sa.Column("duration_weeks", sa.Integer(), nullable=False),
        sa.Column("start_dates", sa.JSON(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("seats_total", sa.Integer(), nullable=False),
        sa.Column("seats_free", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("cost_eur", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("quality_flags", sa.JSON(), nullable=False),
        sa.Column("pending_changes", sa.JSON(), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("approved_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_id", "external_ref", name="uq_offer_provider_ref"),
    )
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_offer_measure_type"), ["measure_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_offer_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offer_status"), ["status"], unique=False)

    op.create_table(
        "profile",
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("district", sa.String(length=16), nullable=False),
        sa.Column("citizenship", sa.String(length=16), nullable=False),
        sa.Column("migration_background", sa.Boolean(), nullable=False),
        sa.Column("german_level", sa.String(length=2), nullable=False),
        sa.Column("school_certificate", sa.String(length=32), nullable=False),
        sa.Column("vocational_qualification", sa.String(length=32), nullable=False),
        sa.Column("foreign_qualification", sa.Boolean(), nullable=False),
        sa.Column("recognition_status", sa.String(length=16), nullable=False),
        sa.Column("unemployment_months", sa.Integer(), nullable=False),
        sa.Column("benefit_regime", sa.String(length=8), nullable=False),
        sa.Column("care_duties", sa.Boolean(), nullable=False),
        sa.Column("single_parent", sa.Boolean(), nullable=False),
        sa.Column("hours_available", sa.Integer(), nullable=False),
        sa.Column("driving_licence", sa.Boolean(), nullable=False),
        sa.Column("max_commute_minutes", sa.Integer(), nullable=False),
        sa.Column("health_restriction", sa.Boolean(), nullable=False),
        sa.Column("last_occupation", sa.String(length=5), nullable=True),
        sa.Column("target_occupations", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_activity_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_district"), ["district"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_profile_last_activity_at"), ["last_activity_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_profile_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_profile_pseudonym"), ["pseudonym"], unique=True)

    op.create_table(
        "ranker_alias",
        sa.Column("alias", sa.String(length=16), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["version_id"], ["ranker_version.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("alias"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "offer_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("offer_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_review_offer_id"), ["offer_id"], unique=False)

    op.create_table(
        "recommendation",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=True),
        sa.Column("model_sha256", sa.String(length=64), nullable=True),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("input_snapshot", sa.JSON(), nullable=False),
        sa.Column("offer_snapshot", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["counsellor_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id"),
    )
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("recommended_rank", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["counsellor_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["request_id"], ["recommendation.request_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_profile_id"), ["profile_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_request_id"), ["request_id"], unique=False)

    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("employed_6m", sa.Boolean(), nullable=True),
        sa.Column("employed_12m", sa.Boolean(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["request_id"], ["recommendation.request_id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_profile_id"), ["profile_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcome_request_id"), ["request_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # The audit trail is append-only: the database itself refuses UPDATE and DELETE.
        op.execute(AUDIT_GUARD_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_request_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_profile_id"))

    op.drop_table("outcome")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_request_id"))
        batch_op.drop_index(batch_op.f("ix_decision_profile_id"))

    op.drop_table("decision")
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_profile_id"))

    op.drop_table("recommendation")
    with op.batch_alter_table("offer_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_review_offer_id"))

    op.drop_table("offer_review")
    op.drop_table("setting")
    op.drop_table("ranker_alias")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_pseudonym"))
        batch_op.drop_index(batch_op.f("ix_profile_owner_id"))
        batch_op.drop_index(batch_op.f("ix_profile_last_activity_at"))
        batch_op.drop_index(batch_op.f("ix_profile_district"))

    op.drop_table("profile")
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_status"))
        batch_op.drop_index(batch_op.f("ix_offer_provider_id"))
        batch_op.drop_index(batch_op.f("ix_offer_measure_type"))
        batch_op.drop_index(batch_op.f("ix_offer_district"))

    op.drop_table("offer")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_api_token_token_hash"))

    op.drop_table("api_token")
    with op.batch_alter_table("occupation_title", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occupation_title_kldb5"))

    op.drop_table("occupation_title")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_username"))

    op.drop_table("app_user")
    with op.batch_alter_table("ranker_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ranker_version_version"))

    op.drop_table("ranker_version")
    op.drop_table("provider")
    with op.batch_alter_table("occupation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occupation_level"))

    op.drop_table("occupation")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_object_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
