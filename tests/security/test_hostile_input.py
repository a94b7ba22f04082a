"""Hostile input into every public and organiser form (Hypothesis, bounded).

For each form, Hypothesis picks a field and a hostile string (markup, SQL, formulas, template
syntax, right-to-left and zero-width characters, NUL and other controls, very long text) and
posts the form, otherwise valid. Whatever happens: no server error; no markup of ours comes
back unescaped, on the answer or on the pages that show the data; and when the form is
refused, the database is exactly as it was. Emails, PDFs and spreadsheet exports are checked
with hostile names after the runs.
"""

import csv
import io
import itertools
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db as _db

settings.register_profile(
    "security", max_examples=25, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
bounded = settings.get_profile("security")

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "'; DROP TABLE registrations; --",
    "1' OR '1'='1",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "{{ 7*7 }}{% raw %}",
    "%(name)s %s {0}",
    "\u202egnp.exe",
    "zero\u200bwidth\u200djoiner\ufeff",
    "nul\x00byte",
    "bell\x07 escape\x1b[31m",
    "line\nbreak\r\ntab\t",
    "Őze Győző Ștefan Țurcanu Åsa Öberg Gruß 日本語 🎉",
    "javascript:alert(1)",
    "x" * 6000,
]
# Fragments that only our own markup could produce, if something were rendered unescaped.
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror", "<svg onload")

hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=20), st.sampled_from(PAYLOADS), st.text(max_size=20)),
    st.text(min_size=1, max_size=300),
)
serial = itertools.count(1)


def snapshot(app) -> list:
    with app.app_context():
        rows = []
        with _db.engine.connect() as connection:
            for table in _db.metadata.sorted_tables:
                rows.extend((table.name, tuple(row)) for row in connection.execute(sa.select(table).order_by(*table.primary_key)))
        return rows


def raw_markers_in(text: str) -> list[str]:
    return [marker for marker in RAW_MARKERS if marker in text]


def form_defaults(page: str, field: str) -> dict:
    """The values a browser would send from the page's form that contains ``field``."""
    tree = lxml_html.fromstring(page)
    for form in tree.forms:
        if (form.method or "").lower() == "post" and form.xpath(f".//*[@name='{field}']"):
            data = {}
            for name, value in form.form_values():
                if name in data:
                    data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no form with {field}")


@pytest.fixture(scope="module")
def open_event(world):
    """An event a month ahead that takes registrations, organised by this world's organiser."""
    from app.auth import services as accounts
    from app.core.models import utcnow
    from app.events import services as events
    from app.registration import services as registrations

    start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    with world.app.app_context():
        values = {
            "title": "Open Masterclass", "slug": "", "summary": "", "description": "", "venue_name": "Hall", "venue_address": "",
            "timezone": "Europe/Budapest", "starts_at": start.replace(tzinfo=None),
            "ends_at": (start + timedelta(days=1)).replace(tzinfo=None),
            "language": "en", "capacity": None, "registration_opens_at": None, "registration_closes_at": None,
            "contact_email": "info@example.com", "privacy_notice": "Privacy.", "retention_days": None, "requires_approval": False,
        }
        event = events.save_event(None, events.EventChanges(values), creator=accounts.find_user("organiser@example.com"))
        events.set_status(event, "published")
        question = registrations.save_question(event, None, {"kind": "short_text", "label": "Why?"})
        local = event.local(event.starts_at).replace(tzinfo=None)
        _db.session.commit()
        info = {"slug": event.slug, "question": f"q_{question.id}", "day": local.strftime("%Y-%m-%dT")}
        _db.session.remove()
    return info


def display_pages(world, open_event) -> list[tuple[str, str]]:
    slug = open_event["slug"]
    return [
        ("anon", f"/events/{slug}/"), ("anon", f"/events/{slug}/agenda"), ("anon", f"/events/{slug}/speakers/"),
        ("anon", "/"), ("org", f"/manage/events/{slug}/registrations"), ("org", f"/manage/events/{slug}/"),
        ("org", f"/manage/events/{slug}/questions"), ("org", f"/manage/events/{slug}/agenda"),
        ("org", f"/manage/events/{slug}/speakers"), ("org", f"/manage/events/{slug}/privacy"),
        ("org", f"/manage/events/{slug}/audit"), ("org", "/manage/"), ("own", f"/r/{world.own_token}"),
        ("own", f"/s/{world.survey_token}"), ("org", f"/manage/events/{world.slug}/survey/preview"),
        ("org", f"/manage/events/{world.slug}/checkin/search?q=a"), ("org", f"/manage/events/{world.slug}/emails"),
    ]


def post_hostile(world, clients, open_event, role, url, fields, field, value, fixed=None):
    """Post the page's own form with one field replaced; check the answer, the pages and the database."""
    client = clients[role]
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_defaults(page.get_data(as_text=True), fields[0])
    data.update(fixed() if callable(fixed) else (fixed or {}))
    data[field] = value
    before = snapshot(world.app)
    response = client.post(url, data=data)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, (url, field, value)
    assert raw_markers_in(body) == [], (url, field)
    if response.status_code == 302:
        for viewer, path in display_pages(world, open_event):
            shown = clients[viewer].get(path)
            assert shown.status_code < 500, path
            assert raw_markers_in(shown.get_data(as_text=True)) == [], (path, field, value)
    else:
        assert snapshot(world.app) == before, (url, field, response.status_code)
    return response


def unique_email():
    return {"email": f"hostile{next(serial)}@example.org"}


FORMS = {
    # name: (role, url(world, open_event), fields, fixed values)
    "registration": ("anon", lambda w, e: f"/events/{e['slug']}/register",
                     ["first_name", "last_name", "email", "organisation", "job_title", "phone", "{question}"],
                     lambda e: {**unique_email(), "first_name": "Ada", "last_name": "Lovelace", "organisation": "Org",
                                "country": "HU", "privacy_consent": "y"}),
    "manage link edit": ("own", lambda w, e: f"/r/{w.own_token}/edit",
                         ["first_name", "last_name", "organisation", "job_title", "phone"], None),
    "event create": ("org", lambda w, e: "/manage/events/new",
                     ["title", "summary", "description", "venue_name", "venue_address", "privacy_notice", "slug", "contact_email"],
                     lambda e: {"title": f"Hostile {next(serial)}", "starts_at": e["day"] + "09:00", "ends_at": e["day"] + "17:00",
                                "timezone": "Europe/Budapest"}),
    "event edit": ("org", lambda w, e: f"/manage/events/{e['slug']}/edit",
                   ["title", "summary", "description", "venue_name", "venue_address", "privacy_notice", "contact_email"], None),
    "question": ("org", lambda w, e: f"/manage/events/{e['slug']}/questions", ["label", "help_text", "choices"],
                 lambda e: {"label": "A question", "kind": "short_text"}),
    "agenda session": ("org", lambda w, e: f"/manage/events/{e['slug']}/agenda/new", ["title", "room", "description"],
                       lambda e: {"title": "A session", "starts_at": e["day"] + "10:00", "ends_at": e["day"] + "11:00"}),
    "speaker": ("org", lambda w, e: f"/manage/events/{e['slug']}/speakers/new",
                ["name", "honorific", "organisation", "role", "bio", "email"], lambda e: {"name": "A speaker"}),
    "track": ("org", lambda w, e: f"/manage/events/{e['slug']}/agenda/tracks", ["name"],
              lambda e: {"name": f"Track {next(serial)}", "colour": "#336699"}),
    "survey answer": ("own", lambda w, e: f"/s/{w.survey_token}", ["{survey_question}"], lambda e: {"action": "save"}),
    "survey builder": ("org", lambda w, e: f"/manage/events/{w.slug}/survey", ["title", "introduction"], None),
    "organiser email": ("org", lambda w, e: f"/manage/events/{w.slug}/emails", ["subject", "body"],
                        lambda e: {"subject": "Hello", "body": "Dear all"}),
    "team add": ("org", lambda w, e: f"/manage/events/{e['slug']}/team", ["email"],
                 lambda e: {"email": "staff.other@example.com", "role": "staff"}),
    "login": ("anon", lambda w, e: "/login", ["email", "password"], None),
    "account": ("org", lambda w, e: "/manage/account", ["profile-name"], lambda e: {"profile-submit": "y"}),
}


def resolve(fields, world, open_event):
    survey_field = None
    with world.app.app_context():
        from app.surveys.models import SurveyQuestion
        from app.surveys.services import field_name

        question = _db.session.execute(
            sa.select(SurveyQuestion).order_by(SurveyQuestion.id).limit(1)
        ).scalar_one()
        survey_field = field_name(question)
        _db.session.remove()
    mapping = {"{question}": open_event["question"], "{survey_question}": survey_field}
    return [mapping.get(name, name) for name in fields]


@pytest.mark.parametrize("form_name", list(FORMS))
def test_hostile_input_in_every_form(world, clients, open_event, form_name):
    role, url_of, fields, fixed = FORMS[form_name]
    url = url_of(world, open_event)
    fields = resolve(fields, world, open_event)

    def fixed_values():
        return fixed(open_event) if fixed else {}

    # The form as the page fills it in, with the fixed values, is accepted: the hostile runs test something.
    if form_name not in ("login",):
        response = post_hostile(world, clients, open_event, role, url, fields, fields[0],
                                fixed_values().get(fields[0], "Benign text"), fixed_values)
        assert response.status_code == 302, (form_name, response.get_data(as_text=True)[-3000:])

    @bounded
    @given(field=st.sampled_from(fields), value=hostile)
    def run(field, value):
        post_hostile(world, clients, open_event, role, url, fields, field, value, fixed_values)

    run()


def test_outbox_bodies_escape_hostile_text(world, clients, open_event):
    """Organiser messages and confirmations carry names and text typed by others: escaped in the HTML part."""
    from app.mail.models import OutboxMessage

    payload = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
    org = clients["org"]
    page = org.get(f"/manage/events/{world.slug}/emails").get_data(as_text=True)
    data = form_defaults(page, "subject") | {"subject": payload, "body": payload}
    assert org.post(f"/manage/events/{world.slug}/emails", data=data).status_code == 302
    response = clients["anon"].post(f"/events/{open_event['slug']}/register", data={
        "first_name": payload[:90], "last_name": "Hostile", "email": "hostile.mail@example.org", "organisation": payload[:190],
        "country": "HU", "privacy_consent": "y",
    })
    assert response.status_code in (302, 422)
    with world.app.app_context():
        messages = _db.session.execute(sa.select(OutboxMessage)).scalars().all()
        assert messages
        for message in messages:
            assert raw_markers_in(message.body_html or "") == [], message.kind
            assert "\x00" not in message.body_text
        _db.session.remove()


def test_pdfs_and_exports_with_hostile_names(world, clients):
    """Names and answers typed by participants: literal in badge PDFs, inert in every spreadsheet export."""
    from app.agenda.models import AgendaSession, SessionSignup
    from app.events.services import get_by_slug
    from app.registration import services as registrations
    from app.surveys.models import SurveyInvitation

    first, last = "<b>Bold</b> &amp; =SUM(A1)", "+cmd|' /C calc'!A0"
    with world.app.app_context():
        event = get_by_slug(world.slug)
        result = registrations.register(
            event, registrations.Registrant(first_name=first, last_name=last, email="formula@example.org",
                                            organisation="@SUM(1)", job_title="-2+3"),
            registrations.Consents(privacy=True), by_organiser=True,
        )
        session = _db.session.execute(sa.select(AgendaSession).filter_by(event_id=event.id).limit(1)).scalar_one()
        _db.session.add(SessionSignup(session_id=session.id, registration_id=result.registration.id))
        from app.checkin import services as checkin

        checkin.admit(event, result.registration, by=None)
        invitation = _db.session.execute(sa.select(SurveyInvitation).filter_by(registration_id=world.registration_id)).scalar_one()
        survey_id = invitation.survey_id
        session_id = session.id
        _db.session.commit()
        _db.session.remove()
    assert survey_id
    org = clients["org"]
    slug = world.slug

    badges = PdfReader(io.BytesIO(org.get(f"/manage/events/{slug}/badges.pdf").data))
    badge_text = "\n".join(page.extract_text() for page in badges.pages)
    assert "<b>Bold</b>" in badge_text  # shown as typed, not taken as ReportLab markup
    attendance_pdf = org.get(f"/manage/events/{slug}/attendance.pdf")
    assert attendance_pdf.status_code == 200
    assert "<b>Bold</b>" in "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(attendance_pdf.data)).pages)

    def cells_of(csv_bytes: bytes) -> list[str]:
        text = csv_bytes.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]

    exports = {
        "registrations.csv": cells_of(org.get(f"/manage/events/{slug}/registrations.csv").data),
        "attendance.csv": cells_of(org.get(f"/manage/events/{slug}/attendance.csv").data),
        "signups.csv": cells_of(org.get(f"/manage/events/{slug}/agenda/{session_id}/signups.csv").data),
        "audit.csv": cells_of(org.get(f"/manage/events/{slug}/audit.csv").data),
        "results.csv": cells_of(org.get(f"/manage/events/{slug}/survey/results.csv").data),
    }
    workbook = load_workbook(io.BytesIO(org.get(f"/manage/events/{slug}/registrations.xlsx").data))
    exports["registrations.xlsx"] = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                                     for cell in row if cell is not None]
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    for name, cells in exports.items():
        assert [cell for cell in cells if cell.startswith(dangerous)] == [], name
    assert any(cell.startswith("'+cmd") for cell in exports["registrations.csv"])
    assert any(cell.startswith("'+cmd") for cell in exports["registrations.xlsx"])
    assert any("'+cmd" in cell or "<b>Bold</b>" in cell for cell in exports["attendance.csv"])
