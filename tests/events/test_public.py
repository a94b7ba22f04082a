"""Public pages: the list of events, an event's page, the health check."""

from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db as _db
from tests.events.helpers import text


def fill(app, slug: str, count: int) -> None:
    """Register ``count`` people through the registration service, as the public form would."""
    from app.events.models import Event
    from app.registration import services as registrations

    with app.app_context():
        event = _db.session.execute(_db.select(Event).filter_by(slug=slug)).scalar_one()
        for number in range(count):
            registrations.register(
                event,
                registrations.Registrant(first_name="Győző", last_name=f"Őze {number}", email=f"p{number}@example.org"),
                registrations.Consents(privacy=True),
                by_organiser=True,
                send_email=False,
            )
        _db.session.commit()


def ahead(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT09:00")


def test_home_lists_upcoming_soonest_first_and_past_below(client, make_event):
    make_event(title="Later", starts_at=ahead(60), ends_at=ahead(61))
    make_event(title="Sooner", starts_at=ahead(10), ends_at=ahead(11))
    make_event(title="Long Ago", starts_at="2018-09-25T09:00", ends_at="2018-09-26T17:00")
    make_event(title="Hidden Draft", publish=False)
    page = text(client.get("/"))
    assert page.index("Upcoming") < page.index("Sooner") < page.index("Later") < page.index("Past events") < page.index("Long Ago")
    assert "Hidden Draft" not in page


def test_home_without_events_says_so(client):
    assert "No upcoming events are published yet." in text(client.get("/"))


def test_event_page_shows_dates_venue_and_description(client, make_event):
    slug = make_event(language="en", description="Two days of **dialogue**.")
    response = client.get(f"/events/{slug}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>dialogue</strong>" in html
    assert "Városháza" in html and "Győr, Városház tér 1" in html
    assert 'href="https://www.openstreetmap.org/search?query=Gy%C5%91r%2C%20V%C3%A1rosh%C3%A1z%20t%C3%A9r%201"' in html
    assert "<script" not in html  # no third-party (or any) scripts on the event page


def test_event_times_are_shown_in_the_event_time_zone(client, make_event):
    slug = make_event(
        title="Boston Class", language="en", timezone="America/New_York",
        starts_at="2031-01-15T09:00", ends_at="2031-01-16T17:30",
    )
    page = text(client.get(f"/events/{slug}/"))
    assert "January 15, 2031, 9:00" in page and "AM" in page
    assert "January 16, 2031, 5:30" in page
    assert "Times in America/New_York" in page
    assert "3:00" not in page  # not Budapest time (15:00), nor UTC (14:00)
    assert "2:00 PM" not in page


def test_event_page_in_hungarian_event_uses_hungarian_dates(client, make_event):
    slug = make_event(language="hu", starts_at="2031-09-25T09:00", ends_at="2031-09-26T17:00")
    assert "2031. szeptember 25." in text(client.get(f"/events/{slug}/"))


def test_seats_left(app, client, make_event):
    slug = make_event(language="en", capacity="30")
    fill(app, slug, 18)
    assert "12 of 30 seats left" in text(client.get(f"/events/{slug}/"))


def test_unlimited_event_is_open(client, make_event):
    slug = make_event(language="en", capacity="")
    page = text(client.get(f"/events/{slug}/"))
    assert "Registration is open." in page
    assert "seats left" not in page


def test_full_event_offers_the_waiting_list(app, client, make_event):
    slug = make_event(language="en", capacity="2")
    fill(app, slug, 2)
    page = text(client.get(f"/events/{slug}/"))
    assert "Waiting list open" in page
    assert "seats left" not in page


def test_past_event_is_closed(client, make_event):
    slug = make_event(language="en", starts_at="2018-09-25T09:00", ends_at="2018-09-26T17:00")
    assert "Registration closed" in text(client.get(f"/events/{slug}/"))


def test_registration_closed_after_the_closing_time(client, make_event):
    closes = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    slug = make_event(language="en", registration_closes_at=closes)
    assert "Registration closed" in text(client.get(f"/events/{slug}/"))


def test_registration_not_yet_open_says_when(client, make_event):
    slug = make_event(language="en", registration_opens_at=ahead(5), starts_at=ahead(30), ends_at=ahead(31))
    page = text(client.get(f"/events/{slug}/"))
    assert "Registration opens on" in page


@pytest.mark.parametrize(
    "field, evil",
    [
        ("description", "Hello <script>alert('x')</script> world"),
        ("description", '<img src=x onerror="alert(1)">'),
        ("description", "[click](javascript:alert(1))"),
        ("privacy_notice", "<script>alert('x')</script>"),
        ("summary", "<script>alert('x')</script>"),
        ("title", "<script>alert('x')</script>"),
        ("venue_name", "<script>alert('x')</script>"),
    ],
)
def test_organiser_text_never_runs_as_script(client, make_event, field, evil):
    slug = make_event(slug="evil", **{field: evil})
    html = client.get(f"/events/{slug}/").get_data(as_text=True)
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    home = client.get("/").get_data(as_text=True)
    assert "<script" not in home


def test_markdown_links_are_kept_safe(client, make_event):
    slug = make_event(description="See [our site](https://example.com).")
    html = client.get(f"/events/{slug}/").get_data(as_text=True)
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">our site</a>' in html


def test_unknown_event_is_404(client):
    response = client.get("/events/no-such-event/")
    assert response.status_code == 404
    assert "Page not found" in text(response)


def test_unknown_event_is_404_on_manage_pages_too(client, make_user, login):
    make_user()
    login()
    for path in ("/", "/edit", "/team", "/clone"):
        assert client.get(f"/manage/events/no-such-event{path}").status_code == 404


def test_draft_is_404_for_the_public_and_strangers(app, client, make_event, make_user, login):
    slug = make_event(publish=False)
    assert client.get(f"/events/{slug}/").status_code == 404
    make_user("stranger@example.com")
    login("stranger@example.com")
    assert client.get(f"/events/{slug}/").status_code == 404


def test_draft_is_shown_to_its_team_with_a_banner(client, make_event, login):
    slug = make_event(publish=False, language="en")
    login()
    response = client.get(f"/events/{slug}/")
    assert response.status_code == 200
    assert "Draft: only the event's team can see this page." in text(response)
    assert f'href="/manage/events/{slug}/"' in response.get_data(as_text=True)


def test_published_page_has_no_draft_banner(client, make_event, login):
    slug = make_event(language="en")
    login()
    assert "Draft" not in text(client.get(f"/events/{slug}/"))


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_gone(tmp_path):
    from app import create_app
    from config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
