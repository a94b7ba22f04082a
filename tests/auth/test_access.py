"""Who may open an event's management pages: its organisers, site administrators; check-in
staff only the check-in pages; everyone else gets 403, and unknown events 404."""

import pytest

from tests.conftest import TEST_PASSWORD


def event_pages(app, slug: str, *, include_checkin: bool = True) -> list[tuple[str, str]]:
    """(method, url) of every page under /manage/events/<slug>/, whichever feature added it."""
    pages = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage/events/<slug>"):
            continue
        if not include_checkin and "checkin" in rule.rule:
            continue
        values = {"slug": slug}
        for name in rule.arguments - {"slug"}:
            values[name] = 1 if type(rule._converters[name]).__name__ in ("IntegerConverter", "FloatConverter") else "x"
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            pages.append((method, url))
    return pages


def test_every_event_page_is_listed(app):
    pages = {url for _, url in event_pages(app, "demo")}
    for path in ("/", "/edit", "/status", "/clone", "/team", "/team/1/remove"):
        assert f"/manage/events/demo{path}" in pages


def test_anonymous_visitor_is_sent_to_login_from_every_event_page(app, client, make_event):
    slug = make_event()
    for method, url in event_pages(app, slug):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login?next=" in response.headers["Location"], (method, url)


def test_stranger_gets_403_on_every_event_page(app, client, make_event, make_user, login):
    slug = make_event(publish=False)
    make_user("stranger@example.com", name="Stranger")
    login("stranger@example.com")
    for method, url in event_pages(app, slug):
        response = client.open(url, method=method, data={"action": "publish", "email": "stranger@example.com", "role": "organiser"})
        assert response.status_code == 403, (method, url, response.status_code)
    # Nothing the stranger sent changed the event: still a draft, still hidden.
    client.post("/logout")
    assert client.get(f"/events/{slug}/").status_code == 404


def test_stranger_does_not_see_the_event_in_their_list(client, make_event, make_user, login):
    make_event(title="Private Planning Event")
    make_user("stranger@example.com")
    login("stranger@example.com")
    assert "Private Planning Event" not in client.get("/manage/").get_data(as_text=True)


def test_organiser_of_another_event_gets_403(client, make_event, login):
    slug = make_event(title="First")
    make_event(title="Second", organiser="other@example.com")
    login("other@example.com")
    assert client.get(f"/manage/events/{slug}/edit").status_code == 403


def test_unknown_event_is_404_for_every_event_page(app, client, make_user, login):
    make_user("root@example.com", admin=True)
    login("root@example.com")
    for method, url in event_pages(app, "no-such-event"):
        assert client.open(url, method=method).status_code == 404, (method, url)


@pytest.fixture
def staffed_event(app, client, make_event, make_user, login):
    """An event whose team has check-in staff; the staff member is logged in."""
    slug = make_event()
    make_user("staff@example.com", name="Door Staff")
    login()
    response = client.post(f"/manage/events/{slug}/team", data={"email": "staff@example.com", "role": "staff"})
    assert response.status_code == 302
    client.post("/logout")
    login("staff@example.com")
    return slug


def test_checkin_staff_get_403_on_organiser_pages(app, client, staffed_event):
    for method, url in event_pages(app, staffed_event, include_checkin=False):
        response = client.open(url, method=method, data={"action": "archive"})
        assert response.status_code == 403, (method, url, response.status_code)


def test_checkin_staff_see_the_event_in_their_list_with_their_role(client, staffed_event):
    html = client.get("/manage/").get_data(as_text=True)
    assert "Győri Mesterkurzus" in html
    assert "Check-in staff" in html
    assert f'href="/manage/events/{staffed_event}/"' not in html  # no link to the organiser's pages


def test_admin_sees_and_manages_every_event(client, make_event, make_user, login):
    first = make_event(title="Organiser One's Event")
    second = make_event(title="Organiser Two's Event", organiser="two@example.com", publish=False)
    make_user("root@example.com", admin=True)
    login("root@example.com")
    html = client.get("/manage/").get_data(as_text=True)
    assert "Organiser One&#39;s Event" in html
    assert "Organiser Two&#39;s Event" in html
    assert client.get(f"/manage/events/{first}/edit").status_code == 200
    assert client.get(f"/manage/events/{second}/team").status_code == 200
    assert client.get(f"/events/{second}/").status_code == 200  # a draft, visible to an administrator


def test_removed_team_member_loses_access(client, make_event, make_user, login, app):
    slug = make_event()
    make_user("helper@example.com")
    login()
    client.post(f"/manage/events/{slug}/team", data={"email": "helper@example.com", "role": "organiser"})
    helper = app.test_client()
    login("helper@example.com", TEST_PASSWORD, target=helper)
    assert helper.get(f"/manage/events/{slug}/edit").status_code == 200

    from app.auth.models import EventMember, User
    from app.extensions import db

    with app.app_context():
        member_id = db.session.execute(
            db.select(EventMember.id).join(User).where(User.email == "helper@example.com")
        ).scalar_one()
    assert client.post(f"/manage/events/{slug}/team/{member_id}/remove").status_code == 302
    assert helper.get(f"/manage/events/{slug}/edit").status_code == 403
