"""``flask demo``: the two CLUSTERIX events and three accounts, loaded once however often it runs."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.extensions import db as _db
from tests.events.helpers import text

PASSWORD = "demo password 2024"
PAST, UPCOMING = "clusterix-masterclass-2018", "clusterix-masterclass"


@pytest.fixture
def runner(app, tmp_path):
    """The CLI, writing its demo-logins.txt under a temporary instance folder, not the project's."""
    app.instance_path = str(tmp_path / "instance")
    return app.test_cli_runner()


def in_english(client):
    """The visitor chose English with the language switch (the demo events are Hungarian)."""
    client.post("/language", data={"lang": "en"})
    return client


def demo(runner, *args):
    result = runner.invoke(args=["demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        counts = {
            table.name: _db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in _db.metadata.sorted_tables
        }
        _db.session.remove()
        return counts


def event_facts(app, slug):
    from app.agenda.models import AgendaSession, Speaker
    from app.events.models import Event
    from app.registration.models import Registration

    with app.app_context():
        event = _db.session.execute(_db.select(Event).filter_by(slug=slug)).scalar_one()
        facts = {
            "title": event.title,
            "status": event.status,
            "capacity": event.capacity,
            "first_day": event.starts_at.astimezone(ZoneInfo(event.timezone)).date(),
            "last_day": event.ends_at.astimezone(ZoneInfo(event.timezone)).date(),
            "registrations": _db.session.execute(
                _db.select(Registration.last_name, Registration.first_name, Registration.status).filter_by(event_id=event.id)
            ).all(),
            "countries": sorted(_db.session.execute(_db.select(Speaker.country).filter_by(event_id=event.id)).scalars()),
            "kinds": set(_db.session.execute(_db.select(AgendaSession.kind).filter_by(event_id=event.id)).scalars()),
        }
        _db.session.remove()
        return facts


def test_demo_loads_the_2018_masterclass(app, runner, client):
    output = demo(runner, "--password", PASSWORD)
    assert PAST in output
    past = event_facts(app, PAST)
    assert (past["first_day"], past["last_day"]) == (date(2018, 9, 25), date(2018, 9, 26))
    assert len(past["registrations"]) == 30
    names = {f"{family} {given}" for family, given, _ in past["registrations"]}
    assert "Őze Győző" in names and "Kovács Ürmös Éva" in names
    page = in_english(client).get(f"/events/{PAST}/")
    assert page.status_code == 200
    assert "Registration closed" in text(page)
    assert "2nd CLUSTERIX Cluster Masterclass" in text(client.get("/"))


def test_demo_loads_the_upcoming_masterclass(app, runner, client):
    demo(runner, "--password", PASSWORD)
    upcoming = event_facts(app, UPCOMING)
    today = datetime.now(ZoneInfo("Europe/Budapest")).date()
    assert abs((upcoming["first_day"] - today).days - 60) <= 1
    assert upcoming["last_day"] == upcoming["first_day"] + timedelta(days=1)
    assert upcoming["status"] == "published"
    assert upcoming["capacity"] == 30
    confirmed = [row for row in upcoming["registrations"] if row[2] == "confirmed"]
    assert 10 <= len(confirmed) <= 14
    assert upcoming["countries"] == sorted(["BE", "DE", "IT", "RO", "ES", "SE"])
    assert {"talk", "workshop", "consultation", "break"} <= upcoming["kinds"]

    page = in_english(client).get(f"/events/{UPCOMING}/")
    assert page.status_code == 200
    assert f"{30 - len(confirmed)} of 30 seats left" in text(page)
    home = text(client.get("/"))
    assert home.index("Upcoming") < home.index("3rd CLUSTERIX Cluster Masterclass") < home.index("Past events")


@pytest.mark.parametrize(
    "email, sees_as",
    [("admin@example.com", "Organiser"), ("organiser@example.com", "Organiser"), ("staff@example.com", "Check-in staff")],
)
def test_demo_accounts_can_log_in(runner, client, login, email, sees_as):
    output = demo(runner, "--password", PASSWORD)
    assert f"{email}  password: {PASSWORD}" in output
    login(email, PASSWORD)
    page = text(client.get("/manage/"))
    assert "2nd CLUSTERIX Cluster Masterclass" in page and "3rd CLUSTERIX Cluster Masterclass" in page
    assert sees_as in page


def test_demo_roles(runner, client, login, app):
    demo(runner, "--password", PASSWORD)
    staff = app.test_client()
    login("staff@example.com", PASSWORD, target=staff)
    assert staff.get(f"/manage/events/{UPCOMING}/edit").status_code == 403
    login("organiser@example.com", PASSWORD)
    assert client.get(f"/manage/events/{UPCOMING}/edit").status_code == 200


def test_generated_password_is_printed_and_works(runner, login, app):
    output = demo(runner)
    assert "Demo logins (generated password):" in output
    line = next(line for line in output.splitlines() if "organiser@example.com" in line)
    password = line.split("password: ")[1].strip()
    login("organiser@example.com", password)
    saved = (app.instance_path + "/demo-logins.txt")
    with open(saved, encoding="utf-8") as file:
        assert password in file.read()


def test_running_demo_twice_changes_nothing(app, runner, login):
    demo(runner, "--password", PASSWORD)
    before = row_counts(app)
    assert before["events"] >= 2 and before["users"] == 3
    output = demo(runner, "--password", "a different password")
    assert "Already present, left unchanged" in output
    assert "a different password" not in output
    assert row_counts(app) == before
    login("organiser@example.com", PASSWORD)  # passwords untouched


def test_if_empty_loads_into_an_empty_database(app, runner):
    demo(runner, "--if-empty", "--password", PASSWORD)
    assert row_counts(app)["events"] >= 2


def test_if_empty_does_nothing_when_there_are_events(app, runner, make_event):
    make_event(title="Someone's Real Event")
    before = row_counts(app)
    output = demo(runner, "--if-empty", "--password", PASSWORD)
    assert "The database already has events; demo data not loaded." in output
    assert row_counts(app) == before
