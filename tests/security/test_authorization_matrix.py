"""Every route of the application, as every kind of visitor: the answers are declared here.

A route added to the application without a line in ``EXPECTED`` fails the test, and so does
a line for a route that no longer exists. Roles, in the order of each line:

    anon         a visitor who is not logged in and holds no private link
    own          participant P1 with their own private links (manage token, badge, survey)
    other        participant P2 of the other event, with P2's own links
    staff        check-in staff of this event
    staff_other  check-in staff of the other event
    org_other    organiser of the other event
    org          organiser of this event
    admin        site administrator

Answers: a status code, or ``login`` for a redirect to the login page. Requests are sent
with an incomplete form (which must never change anything). Whenever a
role that has no business with P1 gets a page, the page must not contain P1's name or email.
Routes under ``/r/`` and ``/s/`` are requested by the roles without a token with a forged one;
``/c/`` (the badge's QR code, visible to anyone at the door) with P1's real badge secret.
"""

import os

import pytest
from lxml import html as lxml_html

from tests.security.conftest import P1, ROLES

pytestmark = pytest.mark.filterwarnings("error")

# Roles:                                                           anon  own   other staff s_oth o_oth org   admin
# Any account may create an event (it becomes that event's organiser); it sees nothing of others' events.
EXPECTED = {
    # Public pages
    ("/", "GET"):                                                  "200   200   200   200   200   200   200   200",
    ("/healthz", "GET"):                                           "200   200   200   200   200   200   200   200",
    ("/static/<path:filename>", "GET"):                            "200   200   200   200   200   200   200   200",
    ("/events/<slug>/", "GET"):                                    "200   200   200   200   200   200   200   200",
    ("/events/<slug>/agenda", "GET"):                              "200   200   200   200   200   200   200   200",
    ("/events/<slug>/calendar.ics", "GET"):                        "200   200   200   200   200   200   200   200",
    ("/events/<slug>/register", "GET"):                            "200   200   200   200   200   200   200   200",
    ("/events/<slug>/register", "POST"):                           "200   200   200   200   200   200   200   200",
    ("/events/<slug>/register/sent", "GET"):                       "200   200   200   200   200   200   200   200",
    ("/events/<slug>/schedule.json", "GET"):                       "200   200   200   200   200   200   200   200",
    ("/events/<slug>/schedule.flat.json", "GET"):                  "200   200   200   200   200   200   200   200",
    ("/events/<slug>/schedule.xml", "GET"):                        "200   200   200   200   200   200   200   200",
    ("/events/<slug>/sessions/<int:session_id>.ics", "GET"):       "200   200   200   200   200   200   200   200",
    ("/events/<slug>/speakers/", "GET"):                           "200   200   200   200   200   200   200   200",
    ("/events/<slug>/speakers/<int:speaker_id>", "GET"):           "200   200   200   200   200   200   200   200",
    ("/events/<slug>/speakers/<int:speaker_id>/photo.jpg", "GET"): "200   200   200   200   200   200   200   200",
    ("/language", "POST"):                                         "302   302   302   302   302   302   302   302",
    ("/login", "GET"):                                             "200   200   200   302   302   302   302   302",
    ("/login", "POST"):                                            "200   200   200   302   302   302   302   302",
    ("/login/reset", "GET"):                                       "200   200   200   302   302   302   302   302",
    ("/login/reset", "POST"):                                      "200   200   200   302   302   302   302   302",
    ("/login/reset/sent", "GET"):                                  "200   200   200   200   200   200   200   200",
    ("/login/reset/<token>", "GET"):                               "404   404   404   404   404   404   404   404",
    ("/login/reset/<token>", "POST"):                              "404   404   404   404   404   404   404   404",
    # Private links of participants
    ("/r/<token>", "GET"):                                         "404   200   200   404   404   404   404   404",
    ("/r/<token>/badge.pdf", "GET"):                               "404   200   200   404   404   404   404   404",
    ("/r/<token>/calendar.ics", "GET"):                            "404   200   200   404   404   404   404   404",
    ("/r/<token>/cancel", "GET"):                                  "404   200   200   404   404   404   404   404",
    ("/r/<token>/data.json", "GET"):                               "404   200   200   404   404   404   404   404",
    ("/r/<token>/delete", "GET"):                                  "404   200   200   404   404   404   404   404",
    ("/r/<token>/delete", "POST"):                                 "404   422   422   404   404   404   404   404",
    ("/r/<token>/edit", "GET"):                                    "404   200   200   404   404   404   404   404",
    ("/r/<token>/edit", "POST"):                                   "404   302   302   404   404   404   404   404",
    ("/r/<token>/sessions", "GET"):                                "404   200   200   404   404   404   404   404",
    ("/r/<token>/sessions/<int:session_id>", "POST"):              "404   302   404   404   404   404   404   404",
    ("/s/<token>", "GET"):                                         "404   200   200   404   404   404   404   404",
    ("/s/<token>", "POST"):                                        "404   302   302   404   404   404   404   404",
    ("/c/<secret>", "GET"):                                        "200   200   200   200   200   200   200   200",
    ("/c/<secret>", "POST"):                                       "403   403   403   200   403   403   200   200",
    # Organisers and staff
    ("/manage/", "GET"):                                           "login login login 200   200   200   200   200",
    ("/manage/account", "GET"):                                    "login login login 200   200   200   200   200",
    ("/manage/account", "POST"):                                   "login login login 200   200   200   200   200",
    ("/manage/events/new", "GET"):                                 "login login login 200   200   200   200   200",
    ("/manage/events/new", "POST"):                                "login login login 200   200   200   200   200",
    ("/manage/events/<slug>/", "GET"):                             "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/edit", "GET"):                         "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/edit", "POST"):                        "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/clone", "GET"):                        "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/clone", "POST"):                       "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda", "GET"):                       "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/new", "GET"):                   "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/new", "POST"):                  "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/copy-day", "GET"):              "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/copy-day", "POST"):             "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/tracks", "GET"):                "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/tracks", "POST"):               "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/tracks/<int:track_id>/edit", "GET"): "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/tracks/<int:track_id>/edit", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/agenda/<int:session_id>/edit", "GET"): "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/<int:session_id>/edit", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/agenda/<int:session_id>/signups", "GET"): "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/agenda/<int:session_id>/signups.csv", "GET"): "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/speakers", "GET"):                     "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/speakers/new", "GET"):                 "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/speakers/new", "POST"):                "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/speakers/<int:speaker_id>/edit", "GET"): "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/speakers/<int:speaker_id>/edit", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/registrations", "GET"):                "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/registrations.csv", "GET"):            "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/registrations.xlsx", "GET"):           "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/registrations/new", "GET"):            "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/registrations/new", "POST"):           "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/registrations/import", "GET"):         "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/registrations/import", "POST"):        "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/registrations/<int:registration_id>/<action>", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/questions", "GET"):                    "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/questions", "POST"):                   "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/questions/<int:question_id>/edit", "GET"): "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/questions/<int:question_id>/edit", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/questions/<int:question_id>/restore", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/emails", "GET"):                       "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/emails", "POST"):                      "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/emails/<int:message_id>/retry", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/badges", "GET"):                       "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/badges.pdf", "GET"):                   "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/badges.pdf", "POST"):                  "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/checkin", "GET"):                      "login login login 200   403   403   200   200",
    ("/manage/events/<slug>/checkin/counts", "GET"):               "login login login 200   403   403   200   200",
    ("/manage/events/<slug>/checkin/search", "GET"):               "login login login 200   403   403   200   200",
    ("/manage/events/<slug>/checkin/scan", "POST"):                "login login login 400   403   403   400   400",
    ("/manage/events/<slug>/attendance", "GET"):                   "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/attendance.csv", "GET"):               "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/attendance.pdf", "GET"):               "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/team", "GET"):                         "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/team", "POST"):                        "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey", "GET"):                       "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey", "POST"):                      "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/survey/preview", "GET"):               "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey/invitations", "GET"):           "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey/questions/new", "GET"):         "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey/questions/new", "POST"):        "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey/questions/<int:question_id>/edit", "GET"): "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey/questions/<int:question_id>/edit", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/survey/questions/<int:question_id>/move", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/survey/send", "POST"):                 "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/survey/remind", "POST"):               "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/survey/results", "GET"):               "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey/results.csv", "GET"):           "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/survey/results/print", "GET"):         "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/privacy", "GET"):                      "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/privacy", "POST"):                     "login login login 403   403   403   422   422",
    ("/manage/events/<slug>/audit", "GET"):                        "login login login 403   403   403   200   200",
    ("/manage/events/<slug>/audit.csv", "GET"):                    "login login login 403   403   403   200   200",
    # Requests that change or remove something: sent last, each deleting role on its own object.
    ("/manage/events/<slug>/agenda/<int:session_id>/cancel", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/agenda/<int:session_id>/delete", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/agenda/tracks/<int:track_id>/delete", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/speakers/<int:speaker_id>/delete", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/questions/<int:question_id>/delete", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/survey/questions/<int:question_id>/delete", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/team/<int:member_id>/remove", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/checkin/undo", "POST"):                "login login login 400   403   403   400   400",
    ("/manage/events/<slug>/badges/<int:registration_id>/replace", "POST"): "login login login 403   403   403   302   302",
    ("/manage/events/<slug>/status", "POST"):                      "login login login 403   403   403   302   302",
    ("/r/<token>/cancel", "POST"):                                 "404   302   302   404   404   404   404   404",
    ("/logout", "POST"):                                           "302   302   302   302   302   302   302   302",
}

# Roles that may see P1's personal data on a page they are given.
ALLOWED_TO_SEE_P1 = {"own", "staff", "org", "admin"}
FORGED_TOKEN = "A" * 32
# One unknown field and nothing else: an incomplete form (an empty one would let WTForms fall back to the stored object).
INCOMPLETE_FORM = {"matrix": "1"}


def url_for_cell(world, rule, role: str) -> str:
    """Fill the rule's arguments from the world's data, for this role."""
    survey_rule = rule.startswith("/manage/events/<slug>/survey/questions/")
    values = {
        "slug": world.slug,
        "filename": "css/app.css",
        "action": "approve",
        "registration_id": str(world.registration_id),
        "message_id": str(world.message_id),
    }
    if rule.startswith("/s/"):
        values["token"] = {"own": world.survey_token, "other": world.other_survey_token}.get(role, FORGED_TOKEN)
    else:
        values["token"] = {"own": world.own_token, "other": world.other_token}.get(role, FORGED_TOKEN)
    values["secret"] = world.other_badge_secret if role == "other" else world.badge_secret
    for name, by_role in world.ids.items():
        values[name] = str(by_role.get(role, by_role["*"]))
    if survey_rule:
        values["question_id"] = values["survey_question_id"]
    url = rule
    for name, value in values.items():
        for converter in ("", "int:", "path:"):
            url = url.replace(f"<{converter}{name}>", value)
    assert "<" not in url, url
    return url


def answer_of(response) -> str:
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    return str(response.status_code)


INLINE_HANDLER = "on"


def inline_code(body: str) -> list[str]:
    """Inline scripts, event-handler attributes, style attributes and <style> elements: CSP forbids them."""
    tree = lxml_html.fromstring(body)
    found = []
    for script in tree.iter("script"):
        if not script.get("src"):
            found.append("inline <script>")
    for _style in tree.iter("style"):
        found.append("<style> element")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in element.attrib:
            if name == "style":
                found.append(f"style attribute on <{element.tag}>")
            elif name.lower().startswith(INLINE_HANDLER) and name.lower() not in ("one",):
                found.append(f"{name} attribute on <{element.tag}>")
    return found


def cells(app):
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.rule, method


def test_every_route_is_in_the_table(world):
    present = set(cells(world.app))
    declared = set(EXPECTED)
    assert sorted(present - declared) == [], "routes missing from EXPECTED"
    assert sorted(declared - present) == [], "EXPECTED lists routes that do not exist"


def test_authorization_matrix(world, clients):
    from tests.security.conftest import LOGINS, login_client

    app = world.app
    present = set(cells(app))
    differences, leaks, inline = [], [], []
    actual_table = {}
    secrets_of_p1 = (P1[1], P1[2])
    for (rule, method), line in EXPECTED.items():  # the table's order: changes come last
        if (rule, method) not in present:
            continue
        expected = line.split()
        assert len(expected) == len(ROLES), rule
        actual_line = []
        for role, wanted in zip(ROLES, expected, strict=True):
            client = clients[role]
            url = url_for_cell(world, rule, role)
            response = client.open(url, method=method, data=INCOMPLETE_FORM)
            answer = answer_of(response)
            actual_line.append(answer)
            if answer != wanted:
                differences.append(f"{method} {url} as {role}: expected {wanted}, got {answer}")
            body = response.get_data(as_text=True) if response.mimetype in ("text/html", "application/json", "text/csv",
                                                                             "text/calendar", "application/xml") else ""
            if role not in ALLOWED_TO_SEE_P1 and response.status_code < 400:
                for secret in secrets_of_p1:
                    if secret in body:
                        leaks.append(f"{method} {url} as {role} shows {secret!r}")
            if response.mimetype == "text/html" and body.strip():
                inline.extend(f"{method} {url}: {problem}" for problem in inline_code(body))
            response.close()
            if rule == "/logout" and role in LOGINS:
                clients[role] = login_client(app, LOGINS[role])
        actual_table[(rule, method)] = actual_line
    if os.environ.get("SECURITY_MATRIX_DUMP"):  # to review a changed table by eye
        with open(os.environ["SECURITY_MATRIX_DUMP"], "w", encoding="utf-8") as dump:
            for (rule, method), line in actual_table.items():
                dump.write(f'    ("{rule}", "{method}"): "{"  ".join(line)}",\n')
            dump.write("\n".join(differences + leaks + sorted(set(inline))))
    assert differences == []
    assert leaks == []
    assert sorted(set(inline)) == []


def test_every_response_carries_the_security_headers(world, clients):
    for role in ("anon", "org"):
        for url in ("/", f"/events/{world.slug}/", f"/manage/events/{world.slug}/", "/static/css/app.css", "/nowhere"):
            response = clients[role].get(url)
            response.close()
            headers = response.headers
            csp = headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
            assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert "Strict-Transport-Security" not in headers  # only in production


@pytest.mark.parametrize("kind", ["r", "s", "c"])
def test_private_links_send_no_referrer_and_are_not_cached(world, clients, kind):
    url = {"r": f"/r/{world.own_token}", "s": f"/s/{world.survey_token}", "c": f"/c/{world.badge_secret}"}[kind]
    response = clients["own"].get(url)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_organiser_pages_are_not_cached(world, clients):
    response = clients["org"].get(f"/manage/events/{world.slug}/registrations")
    assert "no-store" in response.headers["Cache-Control"]
