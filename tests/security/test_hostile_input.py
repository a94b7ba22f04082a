"""Hostile input into every public and organiser form (Hypothesis, bounded).

For each form, Hypothesis picks a field and a hostile string (markup, SQL, formulas, template
syntax, right-to-left and zero-width characters, NUL and other controls, very long text) and
posts the form, otherwise valid. Whatever happens: no server error; no markup of ours comes
back unescaped, on the answer or on the pages that show the data; and when the form is
refused, the database is exactly as it was. Emails, PDFs and spreadsheet exports are checked
with hostile names after the runs.
"""

import ast
import csv
import importlib
import io
import itertools
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.models import utcnow
from app.extensions import db as _db
from tests.conftest import TEST_PASSWORD
from tests.security.conftest import csrf_token_of

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
def open_event(world, clients):
    """An event a month ahead that takes registrations, with a question, organised by this world's organiser.

    Made through the organiser's own pages, as a user would (the URLs are the contract; the modules move).
    """
    start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    slug = organiser_creates_event(clients["org"], "Open Masterclass", start, start + timedelta(days=1))
    org_submits(clients["org"], f"/manage/events/{slug}/status", {"action": "publish"})
    org_submits(clients["org"], f"/manage/events/{slug}/questions", {"label": "Why?", "kind": "short_text"}, "label")
    local = start.astimezone(ZoneInfo("Europe/Budapest")).replace(tzinfo=None)
    info = {"clients": clients, "slug": slug, "day": local.strftime("%Y-%m-%dT"), "date": local.date().isoformat(),
            "next_date": (local.date() + timedelta(days=1)).isoformat()}
    register_page = clients["anon"].get(f"/events/{slug}/register").get_data(as_text=True)
    info["question"] = field_labelled(register_page, "Why?")
    survey_page = clients["own"].get(f"/s/{world.survey_token}").get_data(as_text=True)
    info["survey_question"] = first_text_field(survey_page)
    return info


def org_submits(client, url, values, field=None):
    """Post the form of ``url`` (the one with ``field``, or a bare post) as the browser would, and expect success."""
    data = form_defaults(client.get(url).get_data(as_text=True), field) if field else {}
    response = client.post(url, data={**data, **values})
    assert response.status_code == 302, (url, response.get_data(as_text=True)[-2000:])
    return response


def organiser_creates_event(client, title, start, end) -> str:
    """A new event (times in Europe/Budapest) through /manage/events/new; its slug."""
    zone = ZoneInfo("Europe/Budapest")
    response = org_submits(client, "/manage/events/new", {
        "title": title, "timezone": "Europe/Budapest", "venue_name": "Hall", "contact_email": "info@example.com",
        "privacy_notice": "Privacy.", "language": "en",
        "starts_at": start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"), "ends_at": end.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
    }, "title")
    return response.headers["Location"].rstrip("/").split("/manage/events/")[1].split("/")[0]


def field_labelled(page: str, label: str) -> str:
    """The name of the form field whose label reads ``label``, as a browser pairs them."""
    tree = lxml_html.fromstring(page)
    for element in tree.xpath("//label[@for]"):
        if label in element.text_content():
            return tree.get_element_by_id(element.get("for")).get("name")
    raise AssertionError(f"no field labelled {label!r}")


def first_text_field(page: str) -> str:
    tree = lxml_html.fromstring(page)
    for form in tree.forms:
        if (form.method or "").lower() == "post":
            for element in form.xpath(".//input[@type='text'] | .//textarea"):
                if element.get("name") and element.get("name") != "csrf_token":
                    return element.get("name")
    raise AssertionError("no text field")


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
        ("org", f"/manage/events/{world.slug}/survey"),
    ]


def unique_email():
    return {"email": f"hostile{next(serial)}@example.org"}


def fresh_reset_token(world) -> str:
    """A new password-reset link for an account of its own (resetting one of the world's would log it out)."""
    from app.auth import password_reset
    from app.auth import services as accounts

    with world.app.app_context():
        user = accounts.find_user("forgetful@example.org") or accounts.create_user("forgetful@example.org", TEST_PASSWORD)
        token = password_reset.issue_token(user)
        _db.session.commit()
        _db.session.remove()
    return token


def fresh_registration(world, ctx) -> str:
    """A new participant of the open event: the link of a registration that a valid post may erase."""
    from app.events.services import get_by_slug
    from app.registration import services as registrations

    with world.app.app_context():
        result = registrations.register(
            get_by_slug(ctx["slug"]),
            registrations.Registrant(first_name="Erin", last_name="Erase", email=f"erase{next(serial)}@example.org",
                                     organisation="Org", country="HU"),
            registrations.Consents(privacy=True), by_organiser=True,
        )
        _db.session.commit()
        token = result.token
        _db.session.remove()
    return token


def fresh_past_event(clients) -> str:
    """A new event that ended yesterday: one whose personal data a valid post may erase."""
    end = utcnow().replace(second=0, microsecond=0) - timedelta(days=1)
    return organiser_creates_event(clients["org"], f"Past {next(serial)}", end - timedelta(hours=8), end)


@dataclass(frozen=True)
class Recipe:
    """How to post one form: where, as whom, which fields take the hostile text, and what makes it valid."""

    endpoint: str  # the view that receives the post (checked against the URL map)
    role: str
    url: Callable  # (world, ctx) -> the path the form is sent to
    fields: tuple  # the fields that take hostile text; "{question}" / "{survey_question}" are looked up
    fixed: Callable | None = None  # ctx -> values that make the form valid apart from the hostile field
    page: Callable | None = None  # (world, ctx) -> the page that shows the form, when not ``url``
    send: str = "form"  # "form": the page's own form; "csv": an uploaded file; "json": the page's script; "query": GET
    accepted: int = 302  # the answer to a valid post
    fresh: bool = False  # a valid post uses its object up: a new one for every example
    valid_first: bool = True  # the page's form with the fixed values is accepted (the hostile runs test something)


TEAM = {"email": "staff.other@example.com", "role": "staff"}


def own(path):
    return lambda w, e: path.format(slug=e["slug"], world=w.slug, token=w.own_token, survey=w.survey_token)


# Every form class of app/ has a recipe, keyed by the class name ("feature.ClassName" when two features
# have a form of the same name). A form without one fails test_every_form_class_has_a_recipe.
RECIPES: dict[str, tuple[Recipe, ...]] = {
    "RegistrationForm": (Recipe(
        "participant.register", "anon", own("/events/{slug}/register"),
        ("first_name", "last_name", "email", "organisation", "job_title", "phone", "{question}"),
        lambda e: {**unique_email(), "first_name": "Ada", "last_name": "Lovelace", "organisation": "Org",
                   "country": "HU", "privacy_consent": "y"}),),
    "EditRegistrationForm": (Recipe(
        "participant.edit", "own", own("/r/{token}/edit"), ("first_name", "last_name", "organisation", "job_title", "phone")),),
    "AddParticipantForm": (Recipe(
        "registrations.add", "org", own("/manage/events/{slug}/registrations/new"),
        ("first_name", "last_name", "email", "organisation", "job_title", "phone"),
        lambda e: {**unique_email(), "first_name": "Ada", "last_name": "Lovelace", "organisation": "Org",
                   "country": "HU", "privacy_consent": "y"}),),
    "ImportForm": (Recipe(
        "registrations.import_csv", "org", own("/manage/events/{slug}/registrations/import"),
        ("first_name", "last_name", "organisation", "job_title", "phone", "email"), send="csv"),),
    "EventForm": (
        Recipe("manage.new_event", "org", own("/manage/events/new"),
               ("title", "summary", "description", "venue_name", "venue_address", "privacy_notice", "slug", "contact_email"),
               lambda e: {"title": f"Hostile {next(serial)}", "starts_at": e["day"] + "09:00", "ends_at": e["day"] + "17:00",
                          "timezone": "Europe/Budapest"}),
        Recipe("manage.edit_event", "org", own("/manage/events/{slug}/edit"),
               ("title", "summary", "description", "venue_name", "venue_address", "privacy_notice", "contact_email")),
    ),
    "CloneEventForm": (Recipe(
        "manage.clone_event", "org", own("/manage/events/{slug}/clone"), ("title",),
        lambda e: {"title": f"Copy {next(serial)}", "start_date": e["next_date"]}),),
    "registration.QuestionForm": (Recipe(
        "registrations.questions", "org", own("/manage/events/{slug}/questions"), ("label", "help_text", "choices"),
        lambda e: {"label": "A question", "kind": "short_text"}),),
    "SessionForm": (Recipe(
        "agenda_manage.new_session", "org", own("/manage/events/{slug}/agenda/new"), ("title", "room", "description"),
        lambda e: {"title": "A session", "starts_at": e["day"] + "10:00", "ends_at": e["day"] + "11:00"}),),
    "CopyDayForm": (Recipe(
        "agenda_manage.copy_day", "org", own("/manage/events/{slug}/agenda/copy-day"), ("source", "target"),
        lambda e: {"source": e["date"], "target": e["next_date"]}),),
    "SpeakerForm": (Recipe(
        "agenda_manage.new_speaker", "org", own("/manage/events/{slug}/speakers/new"),
        ("name", "honorific", "organisation", "role", "bio", "email", "website", "links", "registration_email"),
        lambda e: {"name": "A speaker"}),),
    "TrackForm": (Recipe(
        "agenda_manage.tracks", "org", own("/manage/events/{slug}/agenda/tracks"), ("name", "colour"),
        lambda e: {"name": f"Track {next(serial)}", "colour": "#336699"}),),
    "AnswerForm": (Recipe(
        "surveys.answer", "own", own("/s/{survey}"), ("{survey_question}",), lambda e: {"action": "save"}),),
    "SurveyForm": (Recipe("surveys_manage.builder", "org", own("/manage/events/{world}/survey"), ("title", "introduction")),),
    "surveys.QuestionForm": (Recipe(
        "surveys_manage.edit_question", "org", own("/manage/events/{world}/survey/questions/new"),
        ("label", "help_text", "section", "choices"), lambda e: {"label": "A question", "kind": "short_text"}),),
    "MessageForm": (Recipe(
        "registrations.emails", "org", own("/manage/events/{world}/emails"), ("subject", "body"),
        lambda e: {"subject": "Hello", "body": "Dear all"}),),
    "TeamMemberForm": (Recipe(
        "manage.team", "org", own("/manage/events/{slug}/team"), ("email", "role"), lambda e: dict(TEAM)),),
    "LoginForm": (Recipe("auth.login", "anon", own("/login"), ("email", "password"), valid_first=False),),
    "AccountForm": (Recipe(
        "auth.account", "org", own("/manage/account"), ("profile-name", "profile-locale"),
        lambda e: {"profile-submit": "y", "profile-locale": "en"}),),
    "PasswordForm": (Recipe(
        "auth.account", "admin", own("/manage/account"),
        ("password-current_password", "password-new_password", "password-confirm"),
        lambda e: {"password-submit": "y", "password-current_password": TEST_PASSWORD,
                   "password-new_password": TEST_PASSWORD, "password-confirm": TEST_PASSWORD}),),
    "LogoutOthersForm": (Recipe(
        "auth.account", "staff", own("/manage/account"), ("sessions-submit",), lambda e: {"sessions-submit": "1"}),),
    "ResetRequestForm": (Recipe(
        "auth.request_reset", "anon", own("/login/reset"), ("email",), lambda e: {"email": "nobody@example.org"}),),
    "ResetPasswordForm": (Recipe(
        "auth.reset_password", "anon", lambda w, e: f"/login/reset/{fresh_reset_token(w)}", ("new_password", "confirm"),
        lambda e: {"new_password": "a long new password", "confirm": "a long new password"}, fresh=True),),
    "BadgePrintForm": (Recipe(
        "badges.sheets", "org", own("/manage/events/{world}/badges.pdf"), ("role", "not_printed"), lambda e: {"role": ""},
        page=own("/manage/events/{world}/badges"), accepted=200),),
    "ScanCodeForm": (Recipe(
        "checkin.scan", "staff", own("/manage/events/{world}/checkin/scan"), ("code",),
        page=own("/manage/events/{world}/checkin"), send="json", accepted=200, valid_first=False),),
    "SearchForm": (Recipe(
        "checkin.search", "staff", own("/manage/events/{world}/checkin/search"), ("q",), send="query", accepted=200),),
    "EraseRegistrationForm": (Recipe(
        "privacy.erase_registration", "anon", lambda w, e: f"/r/{fresh_registration(w, e)}/delete", ("confirm",),
        lambda e: {"confirm": "y"}, accepted=200, fresh=True),),
    "EraseEventForm": (Recipe(
        "privacy.event_privacy", "org", lambda w, e: f"/manage/events/{fresh_past_event(e['clients'])}/privacy", ("confirm",),
        lambda e: {"confirm": "y"}, fresh=True),),
}
# Form classes that are never posted themselves, with the reason.
NOT_POSTED = {
    "ParticipantDetailsForm": "the fields shared by RegistrationForm, EditRegistrationForm and AddParticipantForm",
}


def feature_of(form_class) -> str:
    return form_class.__module__.split(".")[1]


def form_classes() -> list[tuple[str, str]]:
    """Every FlaskForm subclass defined in app/: (feature, class name).

    Every module of the package is imported (wherever the refactors put them), then the subclasses
    of FlaskForm are walked. A form class defined inside a function (built per request, like the
    survey's AnswerForm) only exists once called, so the source is read for those as well.
    """
    from flask_wtf import FlaskForm

    import app

    for module in pkgutil.walk_packages(app.__path__, "app."):
        importlib.import_module(module.name)
    found, stack = set(), list(FlaskForm.__subclasses__())
    while stack:
        form_class = stack.pop()
        stack.extend(form_class.__subclasses__())
        if form_class.__module__.startswith("app.") and "<locals>" not in form_class.__qualname__:
            found.add((feature_of(form_class), form_class.__name__))
    form_names = {"FlaskForm"} | {name for _feature, name in found}
    package = Path(app.__file__).parent
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                bases = {base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
                         for base in getattr(node, "bases", [])}
                if isinstance(node, ast.ClassDef) and bases & form_names:
                    found.add((path.relative_to(package).parts[0].removesuffix(".py"), node.name))
    return sorted(found)


def key_for(feature: str, name: str, keys) -> str | None:
    for key in (f"{feature}.{name}", name):
        if key in keys:
            return key
    return None


def test_every_form_class_has_a_recipe():
    """A new form is not silently skipped: it needs a recipe in RECIPES (or a reason in NOT_POSTED)."""
    classes = form_classes()
    assert len(classes) >= 20, classes  # the discovery itself works
    keys = set(RECIPES) | set(NOT_POSTED)
    missing = [f"{feature}.{name}" for feature, name in classes if key_for(feature, name, keys) is None]
    assert missing == [], f"forms without a hostile-input recipe in {__name__}.RECIPES: {missing}"
    used = {key_for(feature, name, keys) for feature, name in classes}
    assert sorted(keys - used) == [], "recipes for form classes that no longer exist (renamed or moved to another feature?)"


def recipe_ids():
    return [(key, number) for key, recipes in RECIPES.items() for number in range(len(recipes))]


def post_hostile(world, clients, open_event, recipe, url, fields, field, value):
    """Send the form with one field replaced; check the answer, the pages and the database."""
    client = clients[recipe.role]
    page_url = recipe.page(world, open_event) if recipe.page else url
    fixed = recipe.fixed(open_event) if recipe.fixed else {}
    if recipe.send == "query":
        before = snapshot(world.app)
        response = client.get(url, query_string={**fixed, field: value})
        check_answer(world, clients, open_event, recipe, url, field, value, response)
        assert snapshot(world.app) == before, (url, field)
        return response
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    body = page.get_data(as_text=True)
    if recipe.send == "json":
        before = snapshot(world.app)
        response = client.post(url, json={**fixed, field: value}, headers={"X-CSRFToken": csrf_token_of(body)})
    elif recipe.send == "csv":
        response = import_csv(world, client, url, body, field, value)
        before = response.before
    else:
        data = form_defaults(body, fields[0])
        data.update(fixed)
        data[field] = value
        before = snapshot(world.app)
        response = client.post(url, data=data)
    check_answer(world, clients, open_event, recipe, url, field, value, response, before)
    return response


def check_answer(world, clients, open_event, recipe, url, field, value, response, before=None):
    body = response.data.decode("utf-8", "replace")
    assert response.status_code < 500, (url, field, value)
    assert raw_markers_in(body) == [], (url, field)
    if response.status_code == recipe.accepted:
        for viewer, path in display_pages(world, open_event):
            shown = clients[viewer].get(path)
            assert shown.status_code < 500, path
            assert raw_markers_in(shown.get_data(as_text=True)) == [], (path, field, value)
    elif before is not None:
        assert snapshot(world.app) == before, (url, field, response.status_code)


IMPORT_COLUMNS = ("first_name", "last_name", "email", "organisation", "job_title", "country", "phone", "language")


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def import_csv(world, client, url, page, field, value):
    """Upload a CSV file with the hostile value in one column, then confirm the preview as the page offers."""
    row = {"first_name": "Ada", "last_name": "Lovelace", "email": f"import{next(serial)}@example.org", "organisation": "Org",
           "job_title": "", "country": "HU", "phone": "", "language": "en", field: value}
    content = ",".join(IMPORT_COLUMNS) + "\r\n" + ",".join(csv_cell(row[column]) for column in IMPORT_COLUMNS) + "\r\n"
    data = {name: value for name, value in form_defaults(page, "file").items() if name != "file"}
    before = snapshot(world.app)
    preview = client.post(url, data={**data, "file": (io.BytesIO(content.encode("utf-8")), "people.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code < 500, (field, value)
    preview_body = preview.get_data(as_text=True)
    assert raw_markers_in(preview_body) == [], field
    assert snapshot(world.app) == before, "the preview writes nothing"
    try:
        confirm = form_defaults(preview_body, "content")
    except AssertionError:  # refused before the preview: nothing to confirm
        preview.before = before
        return preview
    response = client.post(url, data=confirm)
    response.before = before
    return response


def resolve(fields, open_event) -> list[str]:
    mapping = {"{question}": open_event["question"], "{survey_question}": open_event["survey_question"]}
    return [mapping.get(name, name) for name in fields]


@pytest.mark.parametrize(("form_name", "number"), recipe_ids(), ids=[f"{key}-{n}" for key, n in recipe_ids()])
def test_hostile_input_in_every_form(world, clients, open_event, form_name, number):
    recipe = RECIPES[form_name][number]
    fields = resolve(recipe.fields, open_event)
    url = recipe.url(world, open_event)
    method = "GET" if recipe.send == "query" else "POST"
    endpoint, _arguments = world.app.url_map.bind("localhost").match(url, method=method)
    assert endpoint == recipe.endpoint, (form_name, url)

    def url_now():
        return recipe.url(world, open_event) if recipe.fresh else url

    fixed = recipe.fixed(open_event) if recipe.fixed else {}
    if recipe.valid_first:
        benign = fixed.get(fields[0], "Benign text") if recipe.send != "csv" else "Benign"
        response = post_hostile(world, clients, open_event, recipe, url_now(), fields, fields[0], benign)
        assert response.status_code == recipe.accepted, (form_name, response.data[-3000:])

    @bounded
    @given(field=st.sampled_from(fields), value=hostile)
    def run(field, value):
        post_hostile(world, clients, open_event, recipe, url_now(), fields, field, value)

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
    xlsx_cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]

    def runs(cell: str) -> bool:  # what a spreadsheet would evaluate (a phone number like +36 1 234 5678 does not)
        text = cell.lstrip(" \t\r\n")
        return text[:1] in ("=", "@") or (text[:1] in ("+", "-") and re.fullmatch(r"[+-][0-9 .()\-]*", text) is None)

    for name, cells in exports.items():
        assert [cell for cell in cells if runs(cell)] == [], name
    assert any(cell.startswith("'+cmd") for cell in exports["registrations.csv"])
    # XLSX: names as typed, in text cells that never run.
    assert [cell.value for cell in xlsx_cells if cell.data_type == "f"] == []
    assert last in [cell.value for cell in xlsx_cells] and first in [cell.value for cell in xlsx_cells]
    assert any("'+cmd" in cell or "<b>Bold</b>" in cell for cell in exports["attendance.csv"])
