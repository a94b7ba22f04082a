"""Badges and sign-in sheets are the event's documents: in the event's language, whoever prints them."""

import pytest

from tests.badges.helpers import NAMES, pdf_text, register, today_event_overrides


@pytest.fixture
def organiser(client, make_user, login):
    make_user()
    login()
    return client


def people(app, slug):
    return [register(app, slug, first, last, organisation, country) for first, last, organisation, country in NAMES[:3]]


@pytest.mark.parametrize("interface", ["en", "hu"])
def test_badges_of_a_hungarian_event_are_hungarian(app, organiser, make_event, interface):
    slug = make_event(language="hu", starts_at="2031-10-03T09:30", ends_at="2031-10-04T17:00", capacity="")
    people(app, slug)
    organiser.post("/language", data={"lang": interface, "next": "/"})
    text = " ".join(pdf_text(organiser.get(f"/manage/events/{slug}/badges.pdf").data))
    assert "RÉSZTVEVŐ" in text and "PARTICIPANT" not in text
    assert "Magyarország" in text and "Románia" in text and "Svédország" in text
    assert "2031. október 3–4." in text
    assert "Őze Győző" in text  # a Hungarian, family name first
    assert "Ștefan Țurcanu" in text  # everyone else, given name first


def test_badges_of_an_english_event_are_english_even_for_a_hungarian_organiser(app, organiser, make_event):
    slug = make_event(language="en", starts_at="2031-10-03T09:30", ends_at="2031-10-04T17:00", capacity="")
    _id, token, _secret = people(app, slug)[1]
    organiser.post("/language", data={"lang": "hu", "next": "/"})
    text = " ".join(pdf_text(organiser.get(f"/manage/events/{slug}/badges.pdf").data))
    assert "PARTICIPANT" in text and "RÉSZTVEVŐ" not in text
    assert "Romania" in text and "Hungary" in text
    assert "October 3" in text
    # The participant's own copy is the same badge.
    own = " ".join(pdf_text(organiser.get(f"/r/{token}/badge.pdf").data))
    assert "PARTICIPANT" in own and "Romania" in own


@pytest.mark.parametrize(("language", "expected", "absent"), [
    ("hu", ["Jelenléti ív", "Aláírás", "Belépett", "Őze Győző", "oldal"], ["Sign-in sheet", "Signature", "Page "]),
    ("en", ["Sign-in sheet", "Signature", "Checked in", "Őze Győző", "Page 1 of"], ["Jelenléti ív", "Aláírás", "oldal"]),
])
def test_attendance_sheets_follow_the_event_language(app, organiser, make_event, language, expected, absent):
    slug = make_event(language=language, **today_event_overrides())
    people(app, slug)
    organiser.post("/language", data={"lang": "en" if language == "hu" else "hu", "next": "/"})  # the other language
    response = organiser.get(f"/manage/events/{slug}/attendance.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data))
    for phrase in expected:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase
