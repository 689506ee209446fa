"""Integrity: no JSON null in required JSON columns, ids never reused, one profile per caseload.

- CHECK constraints ``ck_<table>_<column>_json`` (rows holding JSON ``null`` are repaired to
  the empty list or object first).
- SQLite: the audited tables are rebuilt with ``AUTOINCREMENT`` (batch mode copies the rows;
  ``service.migrations`` switches foreign keys off around it, so no cascade fires).
- ``profile``: the pseudonym is unique per owner (``uq_profile_owner_pseudonym``), no longer
  office-wide.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: Required JSON columns and the empty value a JSON ``null`` in them is repaired to.
JSON_COLUMNS: dict[str, dict[str, str]] = {
    "audit_event": {"detail": "{}"},
    "ranker_version": {
        "library_versions": "{}",
        "metrics": "{}",
        "gates": "{}",
        "plots": "{}",
    },
    "offer": {
        "target_occupations": "[]",
        "funding": "[]",
        "start_dates": "[]",
        "target_groups": "[]",
        "quality_flags": "[]",
    },
    "profile": {"target_occupations": "[]"},
    "recommendation": {"input_snapshot": "{}", "offer_snapshot": "{}", "items": "[]"},
}
AUDITED_TABLES = (
    "app_user",
    "api_token",
    "provider",
    "offer",
    "profile",
    "decision",
    "ranker_version",
)


def _is_null(column: str) -> str:
    return f"CAST({column} AS TEXT) = 'null'"


def _check(column: str) -> str:
    return f"CAST({column} AS TEXT) <> 'null'"


def _batch(table: str, *, autoincrement: bool) -> object:
    sqlite = op.get_bind().dialect.name == "sqlite"
    kwargs = {"sqlite_autoincrement": autoincrement} if sqlite else {}
    return op.batch_alter_table(table, recreate="always" if sqlite else "auto", table_kwargs=kwargs)


def upgrade() -> None:
    for table, columns in JSON_COLUMNS.items():
        for column, empty in columns.items():
            if table == "audit_event":
                continue  # append-only; the service never wrote null there
            # Names and values are the constants above; a literal lets PostgreSQL read it as json.
            op.execute(f"UPDATE {table} SET {column} = '{empty}' WHERE {_is_null(column)}")  # noqa: S608
    for table in sorted(set(JSON_COLUMNS) | set(AUDITED_TABLES)):
        with _batch(table, autoincrement=table in AUDITED_TABLES) as batch_op:  # type: ignore[attr-defined]
            for column in JSON_COLUMNS.get(table, {}):
                batch_op.create_check_constraint(f"ck_{table}_{column}_json", _check(column))
            if table == "profile":
                batch_op.drop_index("ix_profile_pseudonym")
                batch_op.create_index("ix_profile_pseudonym", ["pseudonym"], unique=False)
                batch_op.create_unique_constraint(
                    "uq_profile_owner_pseudonym", ["owner_id", "pseudonym"]
                )


def downgrade() -> None:
    for table in sorted(set(JSON_COLUMNS) | set(AUDITED_TABLES)):
        with _batch(table, autoincrement=False) as batch_op:  # type: ignore[attr-defined]
            if table == "profile":
                batch_op.drop_constraint("uq_profile_owner_pseudonym", type_="unique")
                batch_op.drop_index("ix_profile_pseudonym")
                batch_op.create_index("ix_profile_pseudonym", ["pseudonym"], unique=True)
            for column in JSON_COLUMNS.get(table, {}):
                batch_op.drop_constraint(f"ck_{table}_{column}_json", type_="check")
