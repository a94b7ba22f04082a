"""The feedback survey's answer page reads in one language, errors and thanks included.

(Participants here registered in the event's language; which of the two wins when they differ is the survey's own tests' business.)
"""

from tests.i18n.helpers import english_phrases_in, html_lang, hungarian_phrases_in, text
from tests.surveys.conftest import survey_setup  # noqa: F401 (a fixture)


def test_the_answer_page_reads_in_the_events_language(app, survey_setup):  # noqa: F811
    hungarian_setup = survey_setup(language="hu")
    hungarian = app.test_client().get(f"/s/{hungarian_setup.tokens[hungarian_setup.registrations[0]]}")  # Győző, hu
    assert hungarian.status_code == 200
    page = text(hungarian)
    assert html_lang(hungarian) == "hu"
    assert "Válaszaim beküldése" in page and "Mentés, később folytatom" in page
    assert not english_phrases_in(page), english_phrases_in(page)


def test_the_answer_page_of_an_english_event_is_english(app, survey_setup):  # noqa: F811
    english_setup = survey_setup(language="en")
    english = app.test_client().get(f"/s/{english_setup.tokens[english_setup.registrations[1]]}")  # Åsa, en
    page = text(english)
    assert html_lang(english) == "en"
    assert "Send my answers" in page
    assert not hungarian_phrases_in(page), hungarian_phrases_in(page)


def test_answer_errors_and_thanks_are_hungarian(app, survey_setup):  # noqa: F811
    setup = survey_setup(language="hu")
    client = app.test_client()
    path = f"/s/{setup.tokens[setup.registrations[0]]}"
    refused = text(client.post(path, data={"action": "submit"}))
    assert "Ennek a mezőnek a kitöltése kötelező." in refused or "Kérjük, válaszoljon erre a kérdésre." in refused
    done = client.post(path, data={f"q{setup.questions['rating']}": "4", f"q{setup.questions['nps']}": "9",
                                   f"q{setup.questions['yes_no']}": "yes", "action": "submit"}, follow_redirects=True)
    assert "Köszönjük" in text(done)
