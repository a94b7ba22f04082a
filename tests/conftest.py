"""Shared fixtures: the same suite runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.

Both databases get their schema from the migrations, never from ``create_all``, so the
tests also prove the migrations build what the models describe.
"""

import os
import shutil
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db as _db
from config import TestingConfig, normalise_database_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
TEST_PASSWORD = "correct horse battery"


def build_schema(uri: str) -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri)
    with app.app_context():
        upgrade()
        _db.engine.dispose()


def ensure_postgres_database(url: str) -> None:
    """Create the test database if needed, and empty it so the migrations start from nothing."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).first()
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()
    engine = sa.create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "template.db"
    build_schema(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_uri():
    uri = normalise_database_url(TEST_DATABASE_URL)
    ensure_postgres_database(uri)
    build_schema(uri)
    return uri


def empty_postgres(app) -> None:
    with app.app_context():
        tables = ", ".join(f'"{table.name}"' for table in _db.metadata.sorted_tables)
        with _db.engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=BACKENDS)
def database_uri(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_uri")


@pytest.fixture
def app_factory(database_uri, tmp_path):
    """Build an app on the test database with extra settings (rate limits on, CSRF on...)."""
    apps = []

    def factory(**overrides):
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_uri, **overrides)
        # Never the project's own instance folder: `flask demo` writes its logins there.
        app.instance_path = str(tmp_path / "instance")
        if database_uri.startswith("postgresql") and not apps:
            empty_postgres(app)
        apps.append(app)
        return app

    yield factory
    from app.mail.services import wait_for_background_delivery

    for app in apps:
        # A delivery thread still holding a connection would outlive the engine it came from.
        wait_for_background_delivery(app)
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The database, inside an application context, for arranging data and checking results."""
    with app.app_context():
        yield _db
        _db.session.remove()


# Helpers to arrange data through the same services the application uses.

@pytest.fixture
def make_user(app):
    from app.auth import services as accounts

    def make(email="organiser@example.com", *, admin=False, name="Test Organiser", password=TEST_PASSWORD):
        with app.app_context():
            user = accounts.create_user(email, password, name=name, is_admin=admin)
            _db.session.commit()
            return user.id

    return make


@pytest.fixture
def login(client):
    def do_login(email="organiser@example.com", password=TEST_PASSWORD, target=client):
        response = target.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


def local_input(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def event_form():
    """Valid form data for a new event, about a month ahead; override what a test is about."""

    def build(**overrides):
        start = (datetime.now(UTC) + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
        data = {
            "title": "Győri Mesterkurzus",
            "slug": "",
            "summary": "A masterclass in Győr.",
            "description": "Two days of **dialogue**.",
            "venue_name": "Városháza",
            "venue_address": "Győr, Városház tér 1",
            "timezone": "Europe/Budapest",
            "starts_at": local_input(start),
            "ends_at": local_input(start + timedelta(days=1, hours=8)),
            "language": "en",  # English pages by default; tests of Hungarian pages ask for "hu"
            "capacity": "30",
            "registration_opens_at": "",
            "registration_closes_at": "",
            "contact_email": "info@example.com",
            "privacy_notice": "We keep your data for a year.",
            "retention_days": "",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def make_event(app, make_user, event_form):
    """Create an event owned by organiser@example.com through the service; returns its slug."""
    from app.auth import services as accounts
    from app.events import services as events

    def make(*, publish=True, organiser="organiser@example.com", **overrides):
        form = event_form(**overrides)
        with app.app_context():
            known = accounts.find_user(organiser) is not None
            _db.session.remove()
        if not known:
            make_user(organiser)
        with app.app_context():
            user = accounts.find_user(organiser)
            values = dict(form)
            for key in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
                values[key] = datetime.strptime(values[key], "%Y-%m-%dT%H:%M") if values[key] else None
            values["capacity"] = int(values["capacity"]) if values["capacity"] else None
            values["retention_days"] = int(values["retention_days"]) if values["retention_days"] else None
            values["requires_approval"] = bool(values.get("requires_approval"))
            event = events.save_event(None, events.EventChanges(values), creator=user)
            if publish:
                events.set_status(event, "published")
            _db.session.commit()
            return event.slug

    return make


# A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

class RecordingHandler:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start with ``server.start()``-like control: ``smtp_server.port`` is fixed, ``stop()``/``start()`` work."""
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    port = free_port()

    class Server:
        def __init__(self):
            self.port = port
            self.handler = handler
            self.controller = None

        @property
        def messages(self):
            return handler.messages

        def start(self):
            self.controller = Controller(handler, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app_factory, smtp_server):
    """An app whose mail goes to the loopback SMTP server."""
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
