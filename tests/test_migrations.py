"""The migrations build exactly what the models describe, on SQLite and on PostgreSQL.

Each test works on a database of its own (a fresh SQLite file, or a PostgreSQL database
named after the test database with ``_migrations`` appended), because it drops the schema.
"""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from config import TestingConfig, normalise_database_url
from tests.conftest import BACKENDS, TEST_DATABASE_URL, ensure_postgres_database


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    url = sa.engine.make_url(normalise_database_url(TEST_DATABASE_URL))
    url = url.set(database=f"{url.database}_migrations")
    uri = url.render_as_string(hide_password=False)
    ensure_postgres_database(uri)
    return uri


@pytest.fixture
def migrated_app(empty_database):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def drift():
    """What ``flask db migrate`` would write if run now: empty when models and migrations agree."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_builds_every_model_table(migrated_app):
    assert table_names() == set(db.metadata.tables)


def test_models_and_migrations_agree(migrated_app):
    assert drift() == []


def test_downgrade_to_base_and_upgrade_again(migrated_app):
    downgrade(revision="base")
    assert table_names() == set()
    upgrade()
    assert table_names() == set(db.metadata.tables)
    assert drift() == []


def test_constraint_names_follow_the_naming_convention(migrated_app):
    inspector = sa.inspect(db.engine)
    foreign_keys = inspector.get_foreign_keys("event_members")
    assert {fk["name"] for fk in foreign_keys} == {
        "fk_event_members_event_id_events",
        "fk_event_members_user_id_users",
    }
    assert {uq["name"] for uq in inspector.get_unique_constraints("users")} == {"uq_users_email"}


def test_statuses_and_kinds_are_checked_by_the_database(migrated_app):
    """Each StrEnum column carries the CHECK constraint its model declares, by the same name."""
    inspector = sa.inspect(db.engine)
    checked = 0
    for table in db.metadata.tables.values():
        declared = {
            constraint.name for constraint in table.constraints
            if isinstance(constraint, sa.CheckConstraint) and constraint.name
        }
        built = {check["name"] for check in inspector.get_check_constraints(table.name)}
        assert declared <= built, table.name
        checked += len(declared)
    assert checked >= 8  # registration and event statuses, session and question kinds, roles, …
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO events (slug, title, summary, description, venue_name, venue_address, timezone, starts_at,"
                " ends_at, language, requires_approval, contact_email, privacy_notice, privacy_notice_version, status,"
                " public_participant_list, created_at, updated_at) VALUES ('x', 'x', '', '', '', '', 'UTC', :t, :t, 'en',"
                " false, '', '', 1, 'publishd', false, :t, :t)"
            ), {"t": "2027-01-01 00:00:00"})


def row_counts() -> dict[str, int]:
    with db.engine.connect() as connection:
        return {name: connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
                for name in sorted(table_names())}


def test_a_database_with_data_keeps_every_row_through_the_migrations(migrated_app):
    """Rebuilding a table (SQLite's way to alter one) must not cascade-delete the rows that point at it."""
    from app.demo import load_demo  # imported here: loads the whole app, only this test needs it

    load_demo("demo-password-1")
    db.session.commit()
    before = row_counts()
    assert before["registrations"] > 30 and before["answers"] > 0 and before["checkins"] > 0
    db.session.remove()
    downgrade(revision="0002")
    upgrade()
    assert row_counts() == before
    assert drift() == []
