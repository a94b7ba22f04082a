import re

import pytest

from app.extensions import db as _db


def form_data(**overrides):
    data = {
        "first_name": "Győző",
        "last_name": "Őze",
        "email": "gyozo.oze@example.org",
        "organisation": "Pannon Klaszter",
        "job_title": "klasztermenedzser",
        "country": "HU",
        "phone": "",
        "privacy_consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def register_form():
    return form_data


@pytest.fixture
def outbox(app):
    """The outbox rows, newest last, as a list of (kind, recipient, subject, body_text)."""

    def read(app_=None):
        from app.mail.models import OutboxMessage

        with (app_ or app).app_context():
            rows = _db.session.execute(_db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
            result = [(m.kind, m.recipient, m.subject, m.body_text, m.attachments, m.status) for m in rows]
            _db.session.remove()
            return result

    return read


def manage_path(body_text: str) -> str:
    match = re.search(r"https?://[^/\s]+(/r/[A-Za-z0-9_\-]+)", body_text)
    assert match, body_text
    return match.group(1)


@pytest.fixture
def registrations_of(app):
    def read(slug, app_=None):
        from app.events.models import Event
        from app.registration.models import Registration

        with (app_ or app).app_context():
            event = _db.session.execute(_db.select(Event).filter_by(slug=slug)).scalar_one()
            rows = _db.session.execute(
                _db.select(Registration).filter_by(event_id=event.id).order_by(Registration.id)
            ).scalars().all()
            result = [
                {"email": r.email, "status": r.status, "position": r.waitlist_position, "badge": r.badge_secret,
                 "name": f"{r.first_name} {r.last_name}", "answers": {a.question_id: a.value for a in r.answers}}
                for r in rows
            ]
            _db.session.remove()
            return result

    return read
