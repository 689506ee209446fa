"""Alembic, driven programmatically so that one command migrates SQLite and PostgreSQL alike."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask_babel import gettext as _
from sqlalchemy import Engine
from sqlmodel import SQLModel

import models
from models.offer import is_text_index_table

MIGRATIONS_DIR = Path(models.__file__).parent / "migrations"
EXPRESSION_INDEX_WARNING = "autogenerate skipping metadata-specified expression-based index"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def _run(engine: Engine, action: Any, *args: Any, **kwargs: Any) -> None:
    config = alembic_config(engine)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys on, the
            # drop would fire ON DELETE CASCADE on every child row. The pragma only takes
            # effect outside a transaction, hence before ``begin()``.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            action(config, *args, **kwargs)
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError(_("Migration hinterließe verletzte Fremdschlüssel."))


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def revision(engine: Engine, message: str) -> None:
    _run(engine, command.revision, message=message, autogenerate=True)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """What autogenerate compares: not SQLite's full-text index tables (made by migration 0009
    as an FTS5 virtual table, which the metadata cannot describe)."""
    return not (type_ == "table" and name is not None and is_text_index_table(name))


def pending_differences(engine: Engine) -> list[Any]:
    """What autogenerate would still write: empty when models and migrations agree."""
    with engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect expression indexes; ours (trigram search) exist on PostgreSQL only.
        warnings.filterwarnings("ignore", EXPRESSION_INDEX_WARNING, UserWarning)
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, SQLModel.metadata))
