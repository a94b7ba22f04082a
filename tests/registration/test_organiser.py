"""The organiser's registrations page: search, actions, add, import, export, questions."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.registration.conftest import form_data

BASE = "/manage/events/gyori-mesterkurzus"


@pytest.fixture
def event_with_people(client, make_event, login):
    """A two-seat event: two confirmed, two on the waiting list; the organiser is logged in."""
    make_event(capacity="2")
    people = [("Győző", "Őze", "gyozo@example.org", "Pannon Klaszter"), ("Åsa", "Öberg", "asa@example.se", "Vinnova"),
              ("Iñaki", "Muñoz", "inaki@example.es", "Cluster GAIA"), ("Helmut", "Gruß", "helmut@example.at", "AC Styria")]
    for first, last, email, organisation in people:
        client.post("/events/gyori-mesterkurzus/register",
                    data=form_data(first_name=first, last_name=last, email=email, organisation=organisation))
    login()
    return client


def ids_by_email(app):
    from app.extensions import db
    from app.registration.models import Registration

    with app.app_context():
        rows = db.session.execute(db.select(Registration.email, Registration.id)).all()
        db.session.remove()
        return dict(rows)


def test_list_searches_and_filters(event_with_people):
    client = event_with_people
    page = client.get(f"{BASE}/registrations").get_data(as_text=True)
    assert all(name in page for name in ("Őze", "Öberg", "Muñoz", "Gruß"))
    found = client.get(f"{BASE}/registrations?q=vinnova").get_data(as_text=True)
    assert "Öberg" in found and "Őze" not in found
    found = client.get(f"{BASE}/registrations?q=%C5%91ze%20gy%C5%91z%C5%91").get_data(as_text=True)  # "őze győző"
    assert "Pannon Klaszter" in found
    waiting = client.get(f"{BASE}/registrations?status=waitlisted").get_data(as_text=True)
    assert "Muñoz" in waiting and "Őze" not in waiting


def test_cancel_promotes_and_promote_is_refused_when_full(event_with_people, app, registrations_of):
    client = event_with_people
    ids = ids_by_email(app)
    response = client.post(f"{BASE}/registrations/{ids['helmut@example.at']}/promote", follow_redirects=True)
    assert "No seat is free" in response.get_data(as_text=True)
    client.post(f"{BASE}/registrations/{ids['gyozo@example.org']}/cancel")
    states = {row["email"]: (row["status"], row["position"]) for row in registrations_of("gyori-mesterkurzus")}
    assert states["inaki@example.es"] == ("confirmed", None)
    assert states["helmut@example.at"] == ("waitlisted", 1)


def test_move_reorders_the_waiting_list(event_with_people, app, registrations_of):
    client = event_with_people
    ids = ids_by_email(app)
    client.post(f"{BASE}/registrations/{ids['helmut@example.at']}/move", data={"position": "1"})
    states = {row["email"]: row["position"] for row in registrations_of("gyori-mesterkurzus") if row["position"]}
    assert states == {"helmut@example.at": 1, "inaki@example.es": 2}


def test_approve_and_decline_pending(client, make_event, login, app, registrations_of, outbox):
    make_event(requires_approval="y", capacity="1")
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        client.post("/events/gyori-mesterkurzus/register", data=form_data(email=email))
    login()
    ids = ids_by_email(app)
    client.post(f"{BASE}/registrations/{ids['a@example.org']}/approve")
    client.post(f"{BASE}/registrations/{ids['b@example.org']}/approve")
    client.post(f"{BASE}/registrations/{ids['c@example.org']}/decline")
    states = {row["email"]: row["status"] for row in registrations_of("gyori-mesterkurzus")}
    assert states == {"a@example.org": "confirmed", "b@example.org": "waitlisted", "c@example.org": "declined"}
    kinds = [m[0] for m in outbox()]
    assert kinds.count("pending") == 3 and "confirmation" in kinds and "waitlisted" in kinds and "decline" in kinds


def test_raising_the_capacity_promotes_the_waiting_list(event_with_people, app, registrations_of, event_form):
    client = event_with_people
    response = client.post(f"{BASE}/edit", data=event_form(capacity="3", slug="gyori-mesterkurzus"))
    assert response.status_code == 302, response.get_data(as_text=True)
    states = {row["email"]: row["status"] for row in registrations_of("gyori-mesterkurzus")}
    assert states["inaki@example.es"] == "confirmed"
    assert states["helmut@example.at"] == "waitlisted"


def test_add_participant_by_hand_ignores_the_window_but_not_the_capacity(event_with_people, registrations_of):
    client = event_with_people
    response = client.post(f"{BASE}/registrations/new", data={
        "first_name": "Ștefan", "last_name": "Țurcanu", "email": "stefan@example.ro", "organisation": "UTCN",
        "country": "RO", "language": "en", "privacy_consent": "y",
    })
    assert response.status_code == 302
    row = [r for r in registrations_of("gyori-mesterkurzus") if r["email"] == "stefan@example.ro"][0]
    assert row["status"] == "waitlisted" and row["position"] == 3
    refused = client.post(f"{BASE}/registrations/new", data={
        "first_name": "Ștefan", "last_name": "Țurcanu", "email": "stefan@example.ro", "organisation": "UTCN",
        "country": "RO", "language": "en", "privacy_consent": "y",
    })
    assert "already registered" in refused.get_data(as_text=True)


CSV_HEADER = "first_name,last_name,email,organisation,country,language\n"
CSV_OK = CSV_HEADER + "Łukasz,Żółć,lukasz@example.pl,PCA,PL,en\nÉva,Kovács Ürmös,eva@example.hu,NKSZ,HU,hu\n"
CSV_BAD = CSV_HEADER + "Łukasz,Żółć,lukasz@example.pl,PCA,PL,en\n,Nobody,broken,X,ZZ,fr\n"


def upload(client, text, name="people.csv"):
    return client.post(f"{BASE}/registrations/import", data={"file": (io.BytesIO(text.encode("utf-8")), name)},
                       content_type="multipart/form-data")


def test_import_with_errors_previews_them_and_saves_nothing(event_with_people, registrations_of):
    client = event_with_people
    page = upload(client, CSV_BAD).get_data(as_text=True)
    assert "is not a valid email address" in page
    assert "is not a two-letter country code" in page
    assert "Nothing is imported" in page
    client.post(f"{BASE}/registrations/import", data={"confirm": "1", "content": CSV_BAD})
    assert len(registrations_of("gyori-mesterkurzus")) == 4


def test_import_refuses_a_row_with_a_nul_byte_and_one_already_registered(event_with_people, registrations_of):
    """A NUL byte in a cell is an error on the row, never a database error (PostgreSQL text cannot hold one)."""
    client = event_with_people
    text = CSV_HEADER + "Nul,Byte,nul\x00@example.org,X,HU,hu\nÅsa,Öberg,ASA@example.se,Vinnova,SE,en\n"
    response = client.post(f"{BASE}/registrations/import", data={"confirm": "1", "content": text})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Already registered for this event." in page and "Nothing is imported" in page
    assert len(registrations_of("gyori-mesterkurzus")) == 4


def test_import_previews_then_registers_everyone(event_with_people, registrations_of):
    client = event_with_people
    page = upload(client, "\ufeff" + CSV_OK).get_data(as_text=True)
    assert "Żółć" in page and "Import 2 participants" in page
    assert len(registrations_of("gyori-mesterkurzus")) == 4  # the preview saved nothing
    response = client.post(f"{BASE}/registrations/import", data={"confirm": "1", "content": CSV_OK})
    assert response.status_code == 302
    emails = {row["email"]: row["status"] for row in registrations_of("gyori-mesterkurzus")}
    assert emails["lukasz@example.pl"] == "waitlisted" and emails["eva@example.hu"] == "waitlisted"


def test_exports_have_answers_as_columns_bom_and_no_formulas(client, make_event, login):
    make_event()
    login()
    client.post(f"{BASE}/questions", data={"label": "Dietary needs", "kind": "short_text", "position": "1"})
    client.post(f"{BASE}/questions", data={"label": "Topic", "kind": "single_choice", "choices": "Funding\nExport", "position": "2"})
    client.post("/events/gyori-mesterkurzus/register",
                data=form_data(organisation="=HYPERLINK(\"http://evil\")", q_1="@SUM(A1)", q_2="Export"))
    response = client.get(f"{BASE}/registrations.csv")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header[-2:] == ["Dietary needs", "Topic"]
    assert row[header.index("Organisation")] == "'=HYPERLINK(\"http://evil\")"
    assert row[-2:] == ["'@SUM(A1)", "Export"]
    assert row[header.index("First name")] == "Győző"
    workbook = load_workbook(io.BytesIO(client.get(f"{BASE}/registrations.xlsx").data))
    sheet = workbook.active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    # A text cell: shown as typed (no apostrophe), never evaluated.
    organisation = sheet.cell(row=2, column=values[0].index("Organisation") + 1)
    assert organisation.value == "=HYPERLINK(\"http://evil\")" and organisation.data_type == "s"
    assert values[1][values[0].index("Last name")] == "Őze"


def test_unknown_choice_is_refused(client, make_event, login, registrations_of):
    make_event()
    login()
    client.post(f"{BASE}/questions", data={"label": "Topic", "kind": "single_choice", "choices": "Funding\nExport",
                                           "required": "y"})
    client.get("/logout")
    response = client.post("/events/gyori-mesterkurzus/register", data=form_data(q_1="Free lunch"))
    assert response.status_code == 422
    assert registrations_of("gyori-mesterkurzus") == []


def test_deleting_an_answered_question_keeps_its_answers(client, make_event, login):
    make_event()
    login()
    client.post(f"{BASE}/questions", data={"label": "Dietary needs", "kind": "short_text"})
    client.post("/events/gyori-mesterkurzus/register", data=form_data(q_1="vegetarian"))
    client.post(f"{BASE}/questions/1/edit", data={"label": "Food needs", "kind": "short_text"})
    response = client.post(f"{BASE}/questions/1/delete", follow_redirects=True)
    assert "hidden from the form" in response.get_data(as_text=True)
    assert 'name="q_1"' not in client.get("/events/gyori-mesterkurzus/register").get_data(as_text=True)
    exported = client.get(f"{BASE}/registrations.csv").data.decode("utf-8-sig")
    assert "Food needs" in exported and "vegetarian" in exported


def test_choice_question_needs_two_options(client, make_event, login):
    make_event()
    login()
    response = client.post(f"{BASE}/questions", data={"label": "Topic", "kind": "single_choice", "choices": "Only one"})
    assert "needs at least two options" in response.get_data(as_text=True)
    assert "Topic" not in client.get(f"{BASE}/questions").get_data(as_text=True).split("Add a question")[0]


def test_message_to_a_filtered_set_goes_through_the_outbox(event_with_people, outbox):
    client = event_with_people
    client.post(f"{BASE}/emails", data={"status": "waitlisted", "subject": "Still hoping", "body": "Hello\n\nSee you"})
    messages = [m for m in outbox() if m[0] == "organiser_message"]
    assert sorted(m[1] for m in messages) == ["helmut@example.at", "inaki@example.es"]
    page = client.get(f"{BASE}/emails").get_data(as_text=True)
    assert "Still hoping" in page


def test_staff_and_strangers_cannot_see_registrations(client, make_event, make_user, login, app):
    make_event()
    make_user("stranger@example.com")
    login("stranger@example.com")
    for path in ("/registrations", "/registrations.csv", "/registrations.xlsx", "/questions", "/emails", "/registrations/new"):
        assert client.get(BASE + path).status_code == 403


def test_dashboard_counts_states_and_charts_registrations_over_time(event_with_people):
    page = event_with_people.get(BASE + "/").get_data(as_text=True)
    assert "Registrations over time" in page
    assert '<span class="stat">2</span> confirmed' in page
    assert '<span class="stat">2</span> on the waiting list' in page
    assert "busiest day: 4" in page
