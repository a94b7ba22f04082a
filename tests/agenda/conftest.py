"""Helpers for the agenda and calendar tests: sessions, speakers and registrations on an event."""

import itertools
from datetime import datetime, timedelta

import pytest

from app.extensions import db as _db

_counter = itertools.count(1)


def event_day(app, slug, offset=0):
    """The event's first local day plus ``offset`` days, as a date."""
    from app.events.services import get_by_slug

    with app.app_context():
        event = get_by_slug(slug)
        return (event.local(event.starts_at) + timedelta(days=offset)).date()


def at(day, hour, minute=0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.fixture
def add_session(app):
    """Create a session through the service; times are local wall-clock datetimes."""
    from app.agenda import services
    from app.events.services import get_by_slug

    def add(slug, title="Session", start=None, end=None, **values):
        with app.app_context():
            event = get_by_slug(slug)
            if start is None:
                first = event.local(event.starts_at).date()
                start, end = at(first, 10), at(first, 11)
            changes = services.SessionChanges(title=title, kind=values.pop("kind", "talk"), starts_at=start, ends_at=end, **values)
            session, _warnings = services.save_session(event, None, changes)
            _db.session.commit()
            return session.id

    return add


@pytest.fixture
def add_speaker(app):
    from app.agenda import speakers
    from app.events.services import get_by_slug

    def add(slug, name="Åsa Öberg", **values):
        with app.app_context():
            event = get_by_slug(slug)
            speaker = speakers.save_speaker(event, None, speakers.SpeakerChanges(name=name, **values))
            _db.session.commit()
            return speaker.id

    return add


def register(event, first_name, last_name, email):
    """Register through the registration service, whichever of its two signatures is present."""
    import inspect

    from app.registration import services as registrations

    registrant = registrations.Registrant(first_name=first_name, last_name=last_name, email=email, organisation="Pannon Klaszter")
    if hasattr(registrations, "Consents"):
        options = {"by_organiser": True}
        if "send_email" in inspect.signature(registrations.register).parameters:
            options["send_email"] = False
        result = registrations.register(event, registrant, registrations.Consents(privacy=True), **options)
        return result.registration, result.token
    return registrations.register(event, registrant, privacy_consent=True, by_organiser=True)


@pytest.fixture
def add_registration(app):
    """A registration made by the organiser (confirmed while seats last), and its private-link token;
    ``status`` overrides the outcome for tests about other states."""
    from app.events.services import get_by_slug

    def add(slug, status="confirmed", email=None, first_name="Győző", last_name="Őze"):
        number = next(_counter)
        with app.app_context():
            event = get_by_slug(slug)
            registration, token = register(event, first_name, last_name, email or f"participant{number}@example.org")
            registration.status = status
            _db.session.commit()
            return registration.id, token

    return add


@pytest.fixture
def organiser(client, make_event, login):
    """A published event and its organiser logged in; returns the slug."""
    slug = make_event()
    login()
    return slug
