"""``qualimatch db upgrade`` in the Procfile's release phase survives a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from service.core import migrations
from service.core.db import get_engine


@pytest.mark.slow  # runs the release command in a subprocess
def test_upgrade_on_a_current_database_is_a_no_op(make_app):
    app = make_app()
    before = migrations.current_revision(get_engine(app))

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", "upgrade", "--revision", "head"])

    assert result.exit_code == 0
    assert migrations.current_revision(get_engine(app)) == before


def test_upgrade_tolerates_a_schema_newer_than_the_code(make_app):
    app = make_app()
    with get_engine(app).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffff9999'"))

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])

    assert result.exit_code == 0
    assert "WARNUNG" in result.stderr
    assert "ffffffff9999" in result.stderr
    assert migrations.current_revision(get_engine(app)) == "ffffffff9999"
