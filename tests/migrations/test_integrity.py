"""Migration 0003 and what it guarantees: no JSON null, no reused ids, rows kept on rebuild."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, Table, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.enums import Role
from models.profile import EXAMPLE_PROFILE, Profile
from models.user import User
from service.accounts import issue_token
from service.core import migrations
from tests.migrations.test_migrations import empty_engine  # noqa: F401 - fixture


def _profile(session: Session, owner: User, pseudonym: str) -> Profile:
    values = {k: v for k, v in EXAMPLE_PROFILE.items() if k != "client_number"}
    profile = Profile(**values, pseudonym=pseudonym, owner_id=owner.id)
    session.add(profile)
    session.flush()
    return profile


def _profile_row(session: Session, owner: User, pseudonym: str) -> int:
    """A profile inserted in the columns the table has at the database's revision.

    The ORM class knows only the newest schema; a column added by a later migration must not
    break a test that writes rows at an older revision.
    """
    existing = Table("profile", MetaData(), autoload_with=session.connection())
    values = {k: v for k, v in EXAMPLE_PROFILE.items() if k != "client_number"}
    profile = Profile(**values, pseudonym=pseudonym, owner_id=owner.id)
    names = [column.name for column in existing.columns]
    row = {name: getattr(profile, name) for name in names if getattr(profile, name) is not None}
    return int(session.execute(existing.insert().values(row)).inserted_primary_key[0])


def _counsellor(session: Session) -> User:
    user = User(username="beratung", role=Role.COUNSELLOR)
    session.add(user)
    session.flush()
    return user


def test_upgrade_repairs_json_null_and_keeps_child_rows(empty_engine):  # noqa: F811
    migrations.upgrade(empty_engine, "0002")  # the revision before the integrity migration
    with Session(empty_engine) as s:
        user = _counsellor(s)
        issue_token(s, user, ttl_days=1, label="t")
        profile_id = _profile_row(s, user, "p" * 64)
        s.commit()
    with empty_engine.begin() as conn:
        conn.execute(text("UPDATE profile SET target_occupations = 'null'"))

    migrations.upgrade(empty_engine)

    with empty_engine.connect() as conn:
        stored = conn.execute(
            text("SELECT CAST(target_occupations AS TEXT) FROM profile WHERE id = :id"),
            {"id": profile_id},
        ).scalar_one()
        tokens = conn.execute(text("SELECT count(*) FROM api_token")).scalar_one()
    assert stored == "[]"
    assert tokens == 1  # the rebuild of app_user fired no ON DELETE CASCADE


def test_json_null_in_a_required_column_is_refused(empty_engine):  # noqa: F811
    migrations.upgrade(empty_engine)
    with Session(empty_engine) as s:
        user = _counsellor(s)
        _profile(s, user, "p" * 64)
        s.commit()
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(text("UPDATE profile SET target_occupations = 'null'"))


def test_a_deleted_profiles_id_is_never_reused(empty_engine):  # noqa: F811
    migrations.upgrade(empty_engine)
    with Session(empty_engine) as s:
        user = _counsellor(s)
        _profile(s, user, "a" * 64)
        last = _profile(s, user, "b" * 64)
        s.commit()
        s.delete(last)
        s.commit()
        again = _profile(s, user, "c" * 64)
        s.commit()
        assert (again.id or 0) > (last.id or 0) > 0


def test_one_profile_per_person_and_caseload(empty_engine):  # noqa: F811
    migrations.upgrade(empty_engine)
    with Session(empty_engine) as s:
        first = _counsellor(s)
        second = User(username="beratung-2", role=Role.COUNSELLOR)
        s.add(second)
        s.flush()
        _profile(s, first, "a" * 64)
        _profile(s, second, "a" * 64)
        s.commit()
        with pytest.raises(IntegrityError):
            _profile(s, first, "a" * 64)


def test_audited_tables_keep_autoincrement_after_every_migration(empty_engine):  # noqa: F811
    """A later batch rebuild on SQLite drops AUTOINCREMENT unless it passes table_kwargs."""
    if empty_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL sequences never reuse ids")
    from models.integrity import AUDITED_TABLES

    migrations.upgrade(empty_engine)

    with empty_engine.connect() as conn:
        ddl = dict(
            conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type='table'")).all()
        )
    assert [t for t in AUDITED_TABLES if "AUTOINCREMENT" not in ddl[t]] == []
