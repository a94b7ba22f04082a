"""The participant's registration form, as a visitor uses it."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.registration.conftest import manage_path


def test_register_confirms_and_queues_a_confirmation_with_link_and_calendar(client, make_event, register_form, outbox,
                                                                           registrations_of):
    make_event(title="Győri Mesterkurzus", capacity="30")
    page = client.get("/events/gyori-mesterkurzus/register")
    assert page.status_code == 200
    assert "privacy notice" in page.get_data(as_text=True).lower()

    response = client.post("/events/gyori-mesterkurzus/register", data=register_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/events/gyori-mesterkurzus/register/sent")
    assert "Check your email" in client.get(response.headers["Location"]).get_data(as_text=True)

    [registration] = registrations_of("gyori-mesterkurzus")
    assert registration["status"] == "confirmed"
    assert registration["name"] == "Győző Őze"
    assert registration["badge"]
    [(kind, recipient, subject, body, attachments, status)] = outbox()
    assert (kind, recipient, status) == ("confirmation", "gyozo.oze@example.org", "queued")
    assert "Győri Mesterkurzus" in subject
    assert attachments[0]["filename"].endswith(".ics")
    page = client.get(manage_path(body))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Győző" in text
    # The email and the page both lead to the badge, and the page offers the calendar subscription.
    assert manage_path(body) + "/badge.pdf" in body
    assert manage_path(body) + "/badge.pdf" in text
    assert "webcal://" in text
    badge = client.get(manage_path(body) + "/badge.pdf")
    assert badge.status_code == 200 and badge.data.startswith(b"%PDF")


def test_consent_is_recorded_with_time_and_notice_version(client, make_event, register_form, outbox):
    make_event()
    client.post("/events/gyori-mesterkurzus/register", data=register_form(photo_consent="y"))
    body = outbox()[0][3]
    export = client.get(manage_path(body) + "/data.json").get_json()
    consents = export["consents"]
    assert consents["privacy_notice"]["version"] == 1
    assert consents["privacy_notice"]["agreed_at"]
    assert consents["photos"]
    assert consents["future_events"] is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("privacy_consent", None, "Please agree to the privacy notice"),
        ("email", "not-an-email", "Enter a valid email address"),
        ("first_name", "", "This field is required."),
        ("first_name", "x" * 101, "Use at most 100 characters."),
        ("organisation", "Evil\x00Corp", "control characters"),
        ("country", "XX", "Choose a country from the list"),
        ("phone", "call me maybe", "Enter a phone number"),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(client, make_event, register_form, registrations_of,
                                                                    outbox, field, value, message):
    make_event()
    response = client.post("/events/gyori-mesterkurzus/register", data=register_form(**{field: value}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert registrations_of("gyori-mesterkurzus") == []
    assert outbox() == []


def test_html_in_fields_is_escaped_everywhere(client, make_event, register_form, outbox, login):
    make_event()
    client.post("/events/gyori-mesterkurzus/register",
                data=register_form(organisation="<script>alert(1)</script>", job_title="<b>boss</b>"))
    body = outbox()[0][3]
    participant_page = client.get(manage_path(body)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in participant_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in participant_page
    login()
    organiser_page = client.get("/manage/events/gyori-mesterkurzus/registrations").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in organiser_page
    assert "&lt;script&gt;" in organiser_page


def test_second_registration_with_the_same_email_is_neutral_and_resends_the_link(client, make_event, register_form, outbox,
                                                                                registrations_of):
    make_event()
    first = client.post("/events/gyori-mesterkurzus/register", data=register_form())
    second = client.post("/events/gyori-mesterkurzus/register", data=register_form(email="GYOZO.OZE@example.org", first_name="X"))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(registrations_of("gyori-mesterkurzus")) == 1
    messages = outbox()
    assert [m[0] for m in messages] == ["confirmation", "link"]
    # The link re-sent is the same link: the first email's link still works too.
    assert manage_path(messages[0][3]) == manage_path(messages[1][3])


def past(days):
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def future(days):
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("event_settings", "publish"),
    [
        ({"registration_closes_at": past(1)}, True),  # window closed
        ({"registration_opens_at": future(5)}, True),  # not yet open
        ({"starts_at": past(10), "ends_at": past(9)}, True),  # past event
        ({}, False),  # draft
    ],
)
def test_closed_draft_and_past_events_refuse_registration_on_the_server(client, make_event, register_form,
                                                                        registrations_of, event_settings, publish):
    make_event(publish=publish, **event_settings)
    response = client.post("/events/gyori-mesterkurzus/register", data=register_form())
    assert response.status_code in (200, 404)
    assert registrations_of("gyori-mesterkurzus") == []


def test_archived_event_refuses_registration(client, make_event, register_form, registrations_of, app):
    make_event()
    from app.events import services as events
    from app.extensions import db

    with app.app_context():
        events.set_status(events.get_by_slug("gyori-mesterkurzus"), "archived")
        db.session.commit()
    client.post("/events/gyori-mesterkurzus/register", data=register_form())
    assert registrations_of("gyori-mesterkurzus") == []
    assert "Registration closed" in client.get("/events/gyori-mesterkurzus/").get_data(as_text=True)


def test_full_event_puts_people_on_the_waiting_list_with_their_position(client, make_event, register_form, outbox,
                                                                       registrations_of):
    make_event(capacity="1")
    client.post("/events/gyori-mesterkurzus/register", data=register_form())
    assert "Waiting list open" in client.get("/events/gyori-mesterkurzus/").get_data(as_text=True)
    client.post("/events/gyori-mesterkurzus/register", data=register_form(email="asa@example.se", first_name="Åsa"))
    client.post("/events/gyori-mesterkurzus/register", data=register_form(email="inaki@example.es", first_name="Iñaki"))
    states = [(r["status"], r["position"]) for r in registrations_of("gyori-mesterkurzus")]
    assert states == [("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]
    messages = outbox()
    assert [m[0] for m in messages] == ["confirmation", "waitlisted", "waitlisted"]
    assert "position 2" in messages[2][3]
    page = client.get(manage_path(messages[2][3])).get_data(as_text=True)
    assert "number 2 on the waiting list" in page


def test_approval_required_makes_registrations_pending(client, make_event, register_form, outbox, registrations_of):
    make_event(requires_approval="y")
    client.post("/events/gyori-mesterkurzus/register", data=register_form())
    assert registrations_of("gyori-mesterkurzus")[0]["status"] == "pending"
    assert registrations_of("gyori-mesterkurzus")[0]["badge"] is None
    assert outbox()[0][0] == "pending"


def test_registration_posts_are_rate_limited_per_address(app_factory, make_event, register_form):
    app = app_factory(RATELIMIT_ENABLED=True, REGISTRATION_RATE_LIMIT="3 per minute")
    make_event()
    client = app.test_client()
    codes = [
        client.post("/events/gyori-mesterkurzus/register", data=register_form(email=f"p{i}@example.org")).status_code
        for i in range(5)
    ]
    assert codes[:3] == [302, 302, 302]
    assert codes[3:] == [429, 429]


def test_unknown_event_is_404(client):
    assert client.get("/events/nope/register").status_code == 404


def test_workshops_chosen_at_registration_are_booked_and_listed_in_the_email(client, make_event, register_form, outbox, app):
    from app.agenda.models import AgendaSession
    from app.events import services as events
    from app.extensions import db

    make_event(capacity="5")
    with app.app_context():
        event = events.get_by_slug("gyori-mesterkurzus")
        start = event.starts_at + timedelta(hours=1)
        db.session.add_all([
            AgendaSession(event_id=event.id, title="Impact workshop", kind="workshop", capacity=1,
                          starts_at=start, ends_at=start + timedelta(hours=1)),
            AgendaSession(event_id=event.id, title="Export clinic", kind="workshop", capacity=1,
                          starts_at=start, ends_at=start + timedelta(hours=1)),
        ])
        db.session.commit()
        db.session.remove()
    page = client.get("/events/gyori-mesterkurzus/register").get_data(as_text=True)
    assert "Impact workshop" in page and "1 seats left" in page
    # Two overlapping choices: the first (in time order) is booked, the clash is reported.
    client.post("/events/gyori-mesterkurzus/register", data=register_form(sessions=["1", "2"]))
    body = outbox()[0][3]
    assert "Your sessions:" in body and "Impact workshop" in body
    assert "These choices could not be booked" in body and "Export clinic" in body
    assert "Impact workshop" in client.get(manage_path(body)).get_data(as_text=True)
    # The seat is gone for the next visitor.
    assert "Impact workshop" not in client.get("/events/gyori-mesterkurzus/register").get_data(as_text=True)
