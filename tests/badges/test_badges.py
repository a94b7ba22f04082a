"""Badges: the participant's A6 badge, the organiser's A4 sheets, the CLI, replacing a badge.

QR codes are read back with an independent decoder (ZXing C++ on a pdfium rendering) and
checked in through the scan endpoint; names are read back from the PDF text."""

import pytest
from reportlab.pdfbase import pdfmetrics

from app.badges import pdf as badge_pdf
from app.badges import services as badges
from app.core.text import fold
from app.core.tokens import BADGE_ALPHABET
from app.extensions import db
from app.registration.models import Registration
from tests.badges.helpers import NAMES, decode_qr_codes, embedded_fonts, pdf_text, register, set_status, today_event_overrides

A6_POINTS = (297.6, 419.5)
A4_POINTS = (595.3, 841.9)


@pytest.fixture
def event_with_people(app, make_event):
    slug = make_event(**today_event_overrides())
    people = [register(app, slug, first, last, org, country) for first, last, org, country in NAMES]
    return slug, people


def page_sizes(data):
    from io import BytesIO

    from pypdf import PdfReader

    return [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in PdfReader(BytesIO(data)).pages]


def test_participant_gets_one_a6_badge_whose_qr_checks_them_in(app, client, event_with_people, login):
    slug, people = event_with_people
    registration_id, token, secret = people[0]
    response = client.get(f"/r/{token}/badge.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.data
    assert page_sizes(data) == [A6_POINTS]
    text = pdf_text(data)[0]
    assert "Őze Győző" in text  # Hungarians: family name first
    assert "Pannon Autóipari Klaszter" in text and "Hungary" in text and "PARTICIPANT" in text
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= {name.split("+")[-1].lstrip("/") for name in embedded_fonts(data)}

    [[url]] = decode_qr_codes(data)
    assert url == f"http://localhost/c/{secret}"
    assert len(secret) == 27 and not set(secret) & set("01OIL")

    login()
    answer = client.post(f"/manage/events/{slug}/checkin/scan", json={"code": url}).get_json()
    assert answer["state"] == "welcome"
    assert answer["person"]["name"] == "Őze Győző"


def test_badge_only_for_confirmed_registrations(app, client, event_with_people):
    _slug, people = event_with_people
    registration_id, token, _secret = people[1]
    set_status(app, registration_id, "waitlisted")
    response = client.get(f"/r/{token}/badge.pdf")
    assert response.status_code == 403
    assert "confirmed" in response.get_data(as_text=True)
    assert client.get("/r/not-a-real-token/badge.pdf").status_code == 404


def test_organiser_sheets_hold_every_name_sorted_with_qr_codes_that_check_in(app, client, event_with_people, login):
    slug, people = event_with_people
    login()
    response = client.get(f"/manage/events/{slug}/badges.pdf")
    assert response.status_code == 200
    data = response.data
    assert page_sizes(data) == [A4_POINTS, A4_POINTS]  # six badges, four to a sheet
    text = "\n".join(pdf_text(data))
    for first, last, _organisation, country in NAMES:
        expected = f"{last} {first}" if country == "HU" else f"{first} {last}"
        assert expected in text, expected
    # Sorted by last name, accents folded: Gruß, Muñoz, Öberg, Őze | Țurcanu, Żółć.
    first_page = pdf_text(data)[0]
    positions = [first_page.index(name) for name in ("Gruß", "Muñoz", "Öberg", "Őze")]
    assert positions == sorted(positions)
    assert "Țurcanu" in pdf_text(data)[1] and "Żółć" in pdf_text(data)[1]

    codes = decode_qr_codes(data)
    assert [len(page) for page in codes] == [4, 2]
    secrets = {secret for _id, _token, secret in people}
    states = []
    for url in [url for page in codes for url in page]:
        assert url.rsplit("/", 1)[-1] in secrets
        states.append(client.post(f"/manage/events/{slug}/checkin/scan", json={"code": url}).get_json()["state"])
    assert states == ["welcome"] * 6

    # Printed badges are marked; "not printed yet" now finds none.
    with app.app_context():
        assert all(r.badge_printed_at for r in db.session.execute(db.select(Registration)).scalars())
    again = client.post(f"/manage/events/{slug}/badges.pdf", data={"not_printed": "y"})
    assert "No badges match" in pdf_text(again.data)[0]


def test_filter_by_role_and_speaker_band(app, client, event_with_people, login):
    from app.agenda.models import Speaker
    from app.events.services import get_by_slug

    slug, people = event_with_people
    with app.app_context():
        event = get_by_slug(slug)
        db.session.add(Speaker(event_id=event.id, name="Åsa Öberg", registration_id=people[2][0]))
        db.session.commit()
    login()
    data = client.get(f"/manage/events/{slug}/badges.pdf?role=speaker").data
    text = pdf_text(data)[0]
    assert "Åsa Öberg" in text and "SPEAKER" in text and "Gruß" not in text
    # The organiser's own registration gets the organiser band.
    register(app, slug, "Olga", "Organ", "Agency", "DE", email="organiser@example.com")
    text = pdf_text(client.get(f"/manage/events/{slug}/badges.pdf?role=organiser").data)[0]
    assert "Olga Organ" in text and "ORGANISER" in text
    assert client.get(f"/manage/events/{slug}/badges.pdf?role=nobody").status_code == 400


def test_replacing_a_badge_kills_the_old_one(app, client, event_with_people, login):
    slug, people = event_with_people
    registration_id, token, old_secret = people[3]
    login()
    page = client.get(f"/manage/events/{slug}/badges")
    assert "Iñaki Muñoz" in page.get_data(as_text=True)
    response = client.post(f"/manage/events/{slug}/badges/{registration_id}/replace", follow_redirects=True)
    assert "has a new badge" in response.get_data(as_text=True)
    old = client.post(f"/manage/events/{slug}/checkin/scan", json={"code": old_secret}).get_json()
    assert old["state"] == "refused" and old["person"] is None
    [[url]] = decode_qr_codes(client.get(f"/r/{token}/badge.pdf").data)
    assert url.rsplit("/", 1)[-1] != old_secret
    assert client.post(f"/manage/events/{slug}/checkin/scan", json={"code": url}).get_json()["state"] == "welcome"


def test_revoked_badge_is_refused(app, client, event_with_people, login):
    slug, people = event_with_people
    registration_id, _token, secret = people[4]
    with app.app_context():
        badges.revoke_badge(db.session.get(Registration, registration_id))
        db.session.commit()
    login()
    answer = client.post(f"/manage/events/{slug}/checkin/scan", json={"code": secret}).get_json()
    assert answer["state"] == "refused" and "no longer valid" in answer["message"]


def test_staff_may_not_print_badges(app, client, event_with_people, make_user, login):
    slug, _people = event_with_people
    login()
    client.post(f"/manage/events/{slug}/team", data={"email": "staff@example.com", "role": "staff"})
    make_user("staff@example.com", name="Door Staff")
    client.post(f"/manage/events/{slug}/team", data={"email": "staff@example.com", "role": "staff"})
    client.post("/logout")
    login("staff@example.com")
    assert client.get(f"/manage/events/{slug}/badges.pdf").status_code == 403
    assert client.get(f"/manage/events/{slug}/badges").status_code == 403


def test_cli_writes_all_badges_with_progress(app, runner, event_with_people, tmp_path):
    slug, _people = event_with_people
    target = tmp_path / "badges.pdf"
    result = runner.invoke(args=["badges", slug, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote 6 badges on 2 pages" in result.output
    assert len(decode_qr_codes(target.read_bytes())[0]) == 4
    assert runner.invoke(args=["badges", "no-such-event", "-o", str(target)]).exit_code != 0


@pytest.mark.parametrize("name", [
    "Maria Magdalena Alexandra Josefina von Hohenzollern-Sigmaringen-Württemberg",
    "Supercalifragilisticexpialidociousandevenlongerwordwithoutanyspaces",
    "Őze Győző",
])
def test_long_names_shrink_or_wrap_and_never_overflow(app, name):
    badge_pdf.register_fonts()
    width = 93 * 2.8346
    size, lines = badge_pdf.fit_text(name, badge_pdf.BOLD, width, (24, 22, 20, 18, 16, 14, 12, 11, 10), 3)
    assert 1 <= len(lines) <= 3
    assert " ".join(lines).replace(" ", "") == name.replace(" ", "")
    assert all(pdfmetrics.stringWidth(line, badge_pdf.BOLD, size) <= width + 0.01 for line in lines)


def test_scanned_text_is_normalised():
    secret = "ABCDEFGHJKMNPQRSTUVWXYZ2345"
    assert badges.normalise_secret(f"https://example.org/c/{secret}") == secret
    assert badges.normalise_secret(secret.lower()) == secret
    assert badges.normalise_secret("  " + secret + "\n") == secret
    assert badges.normalise_secret("nonsense") is None
    assert badges.normalise_secret("") is None
    grouped = f"{secret[:9]} {secret[9:18]} {secret[18:]}"  # as printed on the badge
    assert badges.normalise_secret(grouped) == secret
    assert badges.normalise_secret(grouped.replace(" ", "-").lower()) == secret
    assert badges.normalise_secret(f"https://example.org/c/{grouped.replace(' ', '%20')}") == secret
    assert badges.normalise_secret(f"https://example.org/c/{secret}/?utm=a/b#top") == secret


def test_a_typed_look_alike_is_tried_as_the_letters_it_is_misread_for():
    # The alphabet holds neither 0 nor O, neither 1 nor I nor L: they can only be misreadings.
    assert not set("01OIL") & set(BADGE_ALPHABET)
    secret = "D7ABCEFGHJKMNPQRSTUVWXYZ234"
    assert secret in badges.secret_candidates("07" + secret[2:]) and secret in badges.secret_candidates("o7" + secret[2:])
    assert badges.secret_candidates("0" + secret[1:]) == ["D" + secret[1:], "Q" + secret[1:]]
    assert len(badges.secret_candidates("0OI" + secret[3:])) == 2 * 2 * 3
    assert badges.secret_candidates("0OIL" + secret[4:]) == []  # too many to try
    assert badges.normalise_secret("0" + secret[1:]) is None  # a choice: only the database can tell


def test_folding_ignores_accents_case_and_the_letters_nfkd_keeps_whole():
    pairs = {"Kovács Anna": "kovacs anna", "Søndergaard": "sondergaard", "Wróbel": "wrobel", "Őze Győző": "oze gyozo",
             "Gruß": "gruss", "Łukasz Żółć": "lukasz zolc", "Æbelø": "aebelo", "Œuvre": "oeuvre", "Þór": "thor",
             "Đorđević": "dordevic", "Ștefan Țurcanu": "stefan turcanu"}
    assert {name: fold(name) for name in pairs} == pairs


def test_the_door_and_the_badge_sheet_give_everyone_the_same_role(app, client, event_with_people, make_user, login):
    """One rule for a badge's role: the sheets (whole list at once) and the door (one person) agree."""
    from app.agenda.models import Speaker
    from app.events.services import get_by_slug

    slug, people = event_with_people
    make_user("staff@example.com", name="Door Staff")
    login()
    client.post(f"/manage/events/{slug}/team", data={"email": "staff@example.com", "role": "staff"})
    organiser = register(app, slug, "Olga", "Organ", "Agency", "DE", email="organiser@example.com")
    staff = register(app, slug, "Stan", "Staff", "Agency", "DE", email="Staff@Example.com")
    with app.app_context():
        event = get_by_slug(slug)
        db.session.add(Speaker(event_id=event.id, name="Åsa Öberg", registration_id=people[2][0]))
        db.session.commit()
        on_sheet = {badge.registration_id: badge.role for badge in badges.event_badges(event)}
        at_door = {rid: badges.badge_role(db.session.get(Registration, rid)) for rid in on_sheet}
    assert on_sheet == at_door
    assert (on_sheet[organiser[0]], on_sheet[staff[0]], on_sheet[people[2][0]], on_sheet[people[0][0]]) == (
        "organiser", "staff", "speaker", "participant")
    answer = client.post(f"/manage/events/{slug}/checkin/scan", json={"registration_id": staff[0]}).get_json()
    assert answer["person"]["role"] == "staff"
