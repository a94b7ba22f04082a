"""Pages read in the visitor's language: the event's by default, the switch remembered, the account's for organisers."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.i18n.helpers import english_phrases_in, html_lang, hungarian_phrases_in, text


def ahead(days: int, hour: int = 9, minute: int = 0) -> str:
    moment = datetime.now(UTC) + timedelta(days=days)
    return moment.strftime(f"%Y-%m-%dT{hour:02d}:{minute:02d}")


@pytest.fixture
def hu_event(make_event):
    return make_event(title="Győri Mesterkurzus", language="hu", starts_at="2031-10-03T09:30", ends_at="2031-10-04T17:00", capacity="30")


@pytest.fixture
def en_event(make_event):
    return make_event(title="Cluster Masterclass", slug="cluster-masterclass", language="en",
                      starts_at="2031-10-03T09:30", ends_at="2031-10-04T17:00", capacity="30")


def public_pages(slug: str) -> list[str]:
    return ["/", f"/events/{slug}/", f"/events/{slug}/agenda", f"/events/{slug}/speakers", f"/events/{slug}/register", "/login"]


def test_the_switch_turns_the_site_hungarian_and_is_remembered(client):
    page = client.get("/")
    assert html_lang(page) == "en"
    assert "Events" in text(page) and "Organiser login" in text(page)

    response = client.post("/language", data={"lang": "hu", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert html_lang(page) == "hu"
    assert "Rendezvények" in text(page)
    assert "Bejelentkezés szervezőknek" in text(page)
    assert "Még nincs meghirdetett közelgő rendezvény." in text(page)
    assert "English" in text(page)  # the switch back, in its own language
    assert text(client.get("/login")).count("Bejelentkezés") >= 2  # remembered on the next page

    client.post("/language", data={"lang": "en", "next": "/"})
    assert "No upcoming events are published yet." in text(client.get("/"))


def test_the_browser_language_is_the_default_for_pages_without_an_event(client):
    page = client.get("/", headers={"Accept-Language": "hu-HU,hu;q=0.9,en;q=0.5"})
    assert html_lang(page) == "hu"
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert html_lang(page) == "en"


def test_a_hungarian_event_page_is_hungarian_by_default(client, hu_event):
    page = text(client.get(f"/events/{hu_event}/", headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert "2031. október 3., 9:30" in page  # date, then time: 2026. október 3., 9:30
    assert "30 / 30 hely szabad" in page
    assert "Időpont" in page and "Helyszín" in page
    assert "seats left" not in page and "Register" not in page


def test_an_english_event_page_is_english_even_for_a_hungarian_browser(client, en_event):
    page = text(client.get(f"/events/{en_event}/", headers={"Accept-Language": "hu-HU,hu;q=0.9"}))
    assert "October 3, 2031, 9:30" in page
    assert "30 of 30 seats left" in page
    assert "hely szabad" not in page and "október" not in page


def test_the_visitors_switch_beats_the_event_language(client, hu_event, en_event):
    client.post("/language", data={"lang": "en", "next": "/"})
    page = text(client.get(f"/events/{hu_event}/"))
    assert "30 of 30 seats left" in page and "October 3, 2031, 9:30" in page
    client.post("/language", data={"lang": "hu", "next": "/"})
    page = text(client.get(f"/events/{en_event}/"))
    assert "30 / 30 hely szabad" in page and "2031. október 3., 9:30" in page


@pytest.mark.parametrize("language", ["hu", "en"])
def test_key_public_pages_hold_no_phrase_of_the_other_language(client, hu_event, en_event, language):
    client.post("/language", data={"lang": language, "next": "/"})
    for slug in (hu_event, en_event):
        for path in public_pages(slug):
            response = client.get(path, follow_redirects=True)
            assert response.status_code == 200, path
            page = text(response)
            assert html_lang(response) == language, path
            if language == "hu":
                assert not english_phrases_in(page), (path, english_phrases_in(page))
            else:
                assert not hungarian_phrases_in(page), (path, hungarian_phrases_in(page))


@pytest.mark.parametrize("language", ["hu", "en"])
def test_organiser_pages_hold_no_phrase_of_the_other_language(client, make_event, login, language):
    slug = make_event(language="hu" if language == "en" else "en")  # the event's language must not leak in
    login()
    client.post("/language", data={"lang": language, "next": "/"})
    paths = ["/manage/", f"/manage/events/{slug}/", f"/manage/events/{slug}/edit", f"/manage/events/{slug}/registrations",
             f"/manage/events/{slug}/questions", f"/manage/events/{slug}/agenda", f"/manage/events/{slug}/speakers",
             f"/manage/events/{slug}/badges", f"/manage/events/{slug}/checkin", f"/manage/events/{slug}/attendance",
             f"/manage/events/{slug}/survey", "/manage/account"]
    for path in paths:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path  # every page exists: a broken address fails here
        page = text(response)
        if language == "hu":
            assert not english_phrases_in(page), (path, english_phrases_in(page))
        else:
            assert not hungarian_phrases_in(page), (path, hungarian_phrases_in(page))


def test_an_organiser_chooses_the_interface_language_on_the_account_page(app, client, make_user, login, make_event):
    make_user()
    login()
    response = client.post("/manage/account", data={"profile-name": "Test Organiser", "profile-locale": "hu", "profile-submit": "y"})
    assert response.status_code == 302
    assert "A fiókja adatai mentve." in text(client.get("/manage/account"))

    # A new browser: no visitor choice yet, so the account's language applies after logging in.
    other = app.test_client()
    login(target=other)
    page = other.get("/manage/", headers={"Accept-Language": "en"})
    assert html_lang(page) == "hu"
    assert "Kijelentkezés" in text(page)


def test_country_names_follow_the_language(client, hu_event):
    client.post("/language", data={"lang": "hu", "next": "/"})
    form = client.get(f"/events/{hu_event}/register").get_data(as_text=True)
    assert ">Németország<" in form and ">Magyarország<" in form and ">Románia<" in form
    # Sorted as a Hungarian reader expects: accented initials among their base letters.
    assert form.index(">Egyesült Királyság<") < form.index(">Észtország<") < form.index(">Etiópia<")
    client.post("/language", data={"lang": "en", "next": "/"})
    form = client.get(f"/events/{hu_event}/register").get_data(as_text=True)
    assert ">Germany<" in form and ">Hungary<" in form and "Németország" not in form


def test_the_hungarian_registration_form_asks_for_the_family_name_first(client, hu_event, en_event):
    hungarian = client.get(f"/events/{hu_event}/register").get_data(as_text=True)
    assert hungarian.index('id="last_name"') < hungarian.index('id="first_name"')
    assert hungarian.index("Vezetéknév") < hungarian.index("Keresztnév")
    english = client.get(f"/events/{en_event}/register").get_data(as_text=True)
    assert english.index('id="first_name"') < english.index('id="last_name"')
