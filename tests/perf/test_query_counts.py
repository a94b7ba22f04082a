"""Every main page runs the same number of SQL statements whatever the amount of data.

Two events in one database, seeded by the benchmark's own seeder: a small one and one with
many times more registrations, sessions, speakers and survey responses. Each page is asked for
once to warm up, then once more while a ``before_cursor_execute`` listener counts statements.
An N+1 query (a statement per row) makes the large event's count grow, and the test fails.
"""

import pytest
import sqlalchemy as sa

from app.extensions import db
from bench.seed import FIRST, ORGANISER, PASSWORD, STAFF, Size, seed_event

PUBLIC = [
    "/events/{slug}/",
    "/events/{slug}/agenda",
    "/events/{slug}/speakers/",
    "/events/{slug}/calendar.ics",
    "/events/{slug}/schedule.xml",
    "/events/{slug}/schedule.json",
]
ORGANISER_PAGES = [
    "/manage/events/{slug}/",
    "/manage/events/{slug}/registrations",
    "/manage/events/{slug}/registrations.csv",
    "/manage/events/{slug}/survey/results",
    "/manage/events/{slug}/survey/results.csv",
    "/manage/events/{slug}/checkin/counts",
    "/manage/events/{slug}/badges",
]


@pytest.fixture
def seeded(app):
    small = seed_event(app, Size.small(), slug="small")
    large = seed_event(app, Size.medium(), slug="large")
    return small, large


def count_statements(app, client, method: str, path: str, **kwargs) -> tuple[int, int]:
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    client.open(path, method=method, **kwargs)  # warm-up: caches, first-use queries
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.open(path, method=method, **kwargs)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return response.status_code, len(statements)


def login(client, email):
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def test_seeds_differ_in_size(app, seeded):
    small, large = seeded
    assert large["registrations"] >= 10 * small["registrations"]


@pytest.mark.parametrize("page", PUBLIC)
def test_public_page_queries_do_not_grow_with_data(app, seeded, page):
    client = app.test_client()
    small_status, small_count = count_statements(app, client, "GET", page.format(slug="small"))
    large_status, large_count = count_statements(app, client, "GET", page.format(slug="large"))
    assert small_status == large_status == 200
    assert large_count == small_count, f"{page}: {small_count} statements for the small event, {large_count} for the large"


@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_organiser_page_queries_do_not_grow_with_data(app, seeded, page):
    client = app.test_client()
    login(client, ORGANISER)
    small_status, small_count = count_statements(app, client, "GET", page.format(slug="small"))
    large_status, large_count = count_statements(app, client, "GET", page.format(slug="large"))
    assert small_status == large_status == 200
    assert large_count == small_count, f"{page}: {small_count} statements for the small event, {large_count} for the large"


def test_scan_queries_do_not_grow_with_data(app, seeded):
    """A repeat scan (the amber answer, no write) at the door of each event, by the staff member."""
    small, large = seeded
    client = app.test_client()
    login(client, STAFF)
    counts = []
    for event in (small, large):
        url = f"/manage/events/{event['slug']}/checkin/scan"
        status, count = count_statements(app, client, "POST", url, json={"code": event["secrets"][0]})
        assert status == 200
        # The seeded events run today, so this measures an admission, never a refusal for the day.
        answer = client.post(url, json={"code": event["secrets"][0]}).get_json()
        assert answer["state"] == "already", answer
        counts.append(count)
    assert counts[0] == counts[1]


def test_door_search_queries_do_not_grow_with_the_people_found(app, seeded):
    """Searching a common name at the door: a handful of statements, not a few per person found."""
    client = app.test_client()
    login(client, STAFF)
    counts, found = [], []
    for event in seeded:
        url = f"/manage/events/{event['slug']}/checkin/search?q={FIRST[0]}"
        status, count = count_statements(app, client, "GET", url)
        assert status == 200
        found.append(len(client.get(url).get_json()["results"]))
        counts.append(count)
    assert found[0] < found[1], found  # the large event finds more people (up to the page's limit)
    assert counts[0] == counts[1]
