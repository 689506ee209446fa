"""Database-level guarantees added to every table in one place.

- A required JSON column never holds JSON ``null`` (a CHECK constraint, on SQLite and
  PostgreSQL alike): the service reads such columns as lists or objects, and one ``null`` once
  broke a profile on every page that showed it.
- Tables whose ids audit events name never reuse an id on SQLite (``AUTOINCREMENT``; without
  it SQLite hands a deleted row's id to the next row, and the audit trails of two people mix).
  PostgreSQL sequences never reuse ids anyway.

Migration 0003 brings existing databases to this state.
"""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, Column, MetaData, Table
from sqlalchemy.types import TypeDecorator

#: Tables whose integer ids appear in audit events (``recommendation`` has UUID ids already).
AUDITED_TABLES = (
    "app_user",
    "api_token",
    "provider",
    "offer",
    "profile",
    "decision",
    "ranker_version",
)


def is_json(column: Column[object]) -> bool:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return isinstance(kind, JSON)


def required_json_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if is_json(c) and not c.nullable]


def json_not_null_name(table: str, column: str) -> str:
    return f"ck_{table}_{column}_json"


def json_not_null_sql(column: str) -> str:
    # JSON null is stored as the text "null" on both backends (SQL NULL is excluded by NOT NULL).
    return f"CAST({column} AS TEXT) <> 'null'"


def apply(metadata: MetaData) -> None:
    for table in metadata.tables.values():
        for column in required_json_columns(table):
            name = json_not_null_name(table.name, column)
            if not any(getattr(c, "name", None) == name for c in table.constraints):
                table.append_constraint(CheckConstraint(json_not_null_sql(column), name=name))
        if table.name in AUDITED_TABLES:
            table.dialect_options["sqlite"]["autoincrement"] = True
