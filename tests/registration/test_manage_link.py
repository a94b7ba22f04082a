"""The participant's private link: see, change, cancel, leave the waiting list, export."""

import pytest

from tests.registration.conftest import manage_path


@pytest.fixture
def registered(client, make_event, register_form, outbox):
    """Register for a one-seat event; returns the manage path of the confirmed participant."""
    make_event(capacity="1")
    client.post("/events/gyori-mesterkurzus/register", data=register_form())
    return manage_path(outbox()[0][3])


def test_link_shows_status_details_and_consent(client, registered):
    page = client.get(registered)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Confirmed" in text
    assert "gyozo.oze@example.org" in text
    assert "Privacy notice (version 1) agreed on" in text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]


@pytest.mark.parametrize("token", ["x", "not-a-real-token-at-all", "A" * 32, "a" * 500, "%00"])
def test_unknown_and_malformed_tokens_are_404(client, registered, token):
    assert client.get(f"/r/{token}").status_code == 404
    assert client.get(f"/r/{token}/data.json").status_code == 404
    assert client.post(f"/r/{token}/cancel").status_code == 404


def test_participant_edits_details(client, registered, registrations_of):
    response = client.post(registered + "/edit", data={
        "first_name": "Győző", "last_name": "Őze", "email": "gyozo.oze@example.org", "organisation": "Új Klaszter",
        "job_title": "elnök", "country": "AT", "phone": "+36 1 234 5678", "photo_consent": "y",
    })
    assert response.status_code == 302
    [row] = registrations_of("gyori-mesterkurzus")
    page = client.get(registered).get_data(as_text=True)
    assert "Új Klaszter" in page
    assert "Austria" in page  # the page speaks the language the participant registered in (English, as the event)
    assert "Photos may be published" in page
    assert row["status"] == "confirmed"


def test_edit_refuses_bad_input_and_saves_nothing(client, registered):
    response = client.post(registered + "/edit", data={
        "first_name": "", "last_name": "Őze", "email": "broken", "organisation": "X", "country": "HU",
    })
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="first_name-error"' in text and 'id="email-error"' in text
    assert "Győző" in client.get(registered).get_data(as_text=True)


def test_cancelling_frees_the_seat_for_the_first_on_the_waiting_list(client, registered, register_form, outbox,
                                                                     registrations_of):
    client.post("/events/gyori-mesterkurzus/register", data=register_form(email="asa@example.se", first_name="Åsa"))
    client.post("/events/gyori-mesterkurzus/register", data=register_form(email="gruss@example.de", first_name="Helmut"))
    confirm_page = client.get(registered + "/cancel")
    assert "Your seat goes to the next person" in confirm_page.get_data(as_text=True)
    assert client.post(registered + "/cancel").status_code == 302
    rows = {row["email"]: row for row in registrations_of("gyori-mesterkurzus")}
    assert rows["gyozo.oze@example.org"]["status"] == "cancelled"
    assert rows["gyozo.oze@example.org"]["badge"] is None
    assert rows["asa@example.se"]["status"] == "confirmed"
    assert rows["gruss@example.de"]["position"] == 1
    kinds = [(m[0], m[1]) for m in outbox()]
    assert ("cancellation", "gyozo.oze@example.org") in kinds
    assert ("promoted", "asa@example.se") in kinds
    # A cancelled registration can no longer be changed.
    assert client.get(registered + "/edit").status_code == 302


def test_leaving_the_waiting_list_renumbers_the_rest(client, registered, register_form, outbox, registrations_of):
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        client.post("/events/gyori-mesterkurzus/register", data=register_form(email=email))
    link_of_a = manage_path([m for m in outbox() if m[1] == "a@example.org"][0][3])
    page = client.get(link_of_a + "/cancel").get_data(as_text=True)
    assert "Leave the waiting list?" in page
    client.post(link_of_a + "/cancel")
    rows = {row["email"]: row for row in registrations_of("gyori-mesterkurzus")}
    assert rows["a@example.org"]["status"] == "cancelled"
    assert (rows["b@example.org"]["position"], rows["c@example.org"]["position"]) == (1, 2)
    assert rows["gyozo.oze@example.org"]["status"] == "confirmed"


def test_data_export_holds_everything_about_the_participant(client, registered):
    response = client.get(registered + "/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["registration"]["first_name"] == "Győző"
    assert data["registration"]["status"] == "confirmed"
    assert data["event"]["slug"] == "gyori-mesterkurzus"
