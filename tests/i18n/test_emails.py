"""A participant's emails are in the language they registered in, whoever or whatever sends them."""

import pytest

from app.extensions import db as _db


def form(**overrides):
    data = {"first_name": "Győző", "last_name": "Őze", "email": "gyozo.oze@example.org", "organisation": "Pannon Klaszter",
            "job_title": "klasztermenedzser", "country": "HU", "phone": "", "privacy_consent": "y"}
    data.update(overrides)
    return data


def outbox(app):
    from app.mail.models import OutboxMessage

    with app.app_context():
        rows = _db.session.execute(_db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
        result = [(m.kind, m.recipient, m.subject, m.body_text, m.body_html) for m in rows]
        _db.session.remove()
        return result


def registration_language(app, email):
    from app.registration.models import Registration

    with app.app_context():
        return _db.session.execute(_db.select(Registration.language).filter_by(email=email)).scalar_one()


@pytest.fixture
def hu_event(make_event):
    return make_event(title="Győri Mesterkurzus", language="hu", starts_at="2031-10-03T09:30", ends_at="2031-10-04T17:00")


@pytest.fixture
def en_event(make_event):
    return make_event(title="Cluster Masterclass", slug="cluster-masterclass", language="en",
                      starts_at="2031-10-03T09:30", ends_at="2031-10-04T17:00")


def test_registered_in_hungarian_the_confirmation_is_hungarian(app, client, hu_event):
    response = client.post(f"/events/{hu_event}/register", data=form())
    assert response.status_code == 302
    assert registration_language(app, "gyozo.oze@example.org") == "hu"
    [(_kind, recipient, subject, body, html)] = outbox(app)
    assert recipient == "gyozo.oze@example.org"
    assert subject == "Regisztrációját visszaigazoltuk: Győri Mesterkurzus"
    assert body.startswith("Kedves Győző!")
    assert "Időpont: 2031. október 3–4." in body  # the event's days, month in full
    assert '<html lang="hu">' in html and "Regisztrációm megnyitása" in html
    for english in ("Dear ", "Your registration", "When:", "Where:", "confirmed", "October"):
        assert english not in body, english


def test_registered_in_english_the_confirmation_is_english_even_for_a_hungarian_event(app, client, hu_event):
    client.post("/language", data={"lang": "en", "next": "/"})
    client.post(f"/events/{hu_event}/register", data=form(email="asa.oberg@example.org", first_name="Åsa", last_name="Öberg",
                                                            country="SE"))
    assert registration_language(app, "asa.oberg@example.org") == "en"
    [(_kind, _recipient, subject, body, _html)] = outbox(app)
    assert subject == "Your registration is confirmed: Győri Mesterkurzus"
    assert body.startswith("Dear Åsa,")
    assert "When: October 3\u2009–\u20094, 2031" in body
    for hungarian in ("Kedves", "Regisztráció", "Időpont", "október"):
        assert hungarian not in body, hungarian


def test_a_hungarian_visitor_of_an_english_event_gets_hungarian_mail(app, client, en_event):
    client.post("/language", data={"lang": "hu", "next": "/"})
    client.post(f"/events/{en_event}/register", data=form())
    [(_kind, _recipient, subject, body, _html)] = outbox(app)
    assert subject == "Regisztrációját visszaigazoltuk: Cluster Masterclass"
    assert body.startswith("Kedves Győző!")


def test_mail_sent_by_an_organiser_with_an_english_interface_keeps_the_participants_language(app, client, hu_event, login):
    from app.registration.models import Registration

    client.post(f"/events/{hu_event}/register", data=form())
    organiser = app.test_client()
    login(target=organiser)
    organiser.post("/language", data={"lang": "en", "next": "/"})
    with app.app_context():
        registration_id = _db.session.execute(_db.select(Registration.id)).scalar_one()
    response = organiser.post(f"/manage/events/{hu_event}/registrations/{registration_id}/cancel")
    assert response.status_code == 302
    assert "Cancelled." in organiser.get(f"/manage/events/{hu_event}/registrations").get_data(as_text=True)  # the organiser: English
    _confirmation, (_kind, _recipient, subject, body, _html) = outbox(app)
    assert subject == "Regisztrációja lemondva: Győri Mesterkurzus"
    assert body.startswith("Kedves Győző!")
    assert "Your registration" not in body
