"""The organiser builds a survey: defaults, every kind of question, their checks, order and sections."""

import re

from app.extensions import db as _db
from tests.surveys.conftest import EVERY_KIND, full_answers


def question_form(kind, label, **extra):
    data = {"kind": kind, "label": label, "help_text": "", "section": "", "choices": "", "min_picks": "", "max_picks": ""}
    for key, value in extra.items():
        data[key] = "\n".join(value) if key == "choices" else ("y" if value is True else str(value))
    if not extra.get("required"):
        data.pop("required", None)
    return data


def test_build_a_survey_with_every_kind(client, make_event, login):
    slug = make_event(starts_at="2030-05-04T09:00", ends_at="2030-05-05T17:00")
    login()
    page = client.get(f"/manage/events/{slug}/survey").get_data(as_text=True)
    # Defaults: opens when the event ends, closes 14 days later (in the event's zone).
    assert 'value="2030-05-05T17:00"' in page and 'value="2030-05-19T17:00"' in page
    assert 'value="checked_in" selected' in page or re.search(r'<option selected value="checked_in"', page)
    response = client.post(f"/manage/events/{slug}/survey", data={
        "title": "Visszajelzés", "introduction": "Köszönjük!", "opens_at": "", "closes_at": "", "audience": "checked_in",
    })
    assert response.status_code == 302
    for kind, label, extra in EVERY_KIND:
        response = client.post(f"/manage/events/{slug}/survey/questions/new", data=question_form(kind, label, **extra))
        assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/manage/events/{slug}/survey").get_data(as_text=True)
    labels = [label for _kind, label, _extra in EVERY_KIND]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "Rate each session attended" in page and "Recommendation score, 0 to 10 (NPS)" in page
    assert "Experts · Networking · Venue · Food" in page
    preview = client.get(f"/manage/events/{slug}/survey/preview").get_data(as_text=True)
    for label in labels:
        assert label in preview
    assert "Answers cannot be sent from here" in preview and 'value="submit"' not in preview


def test_survey_and_question_checks(client, make_event, login):
    slug = make_event()
    login()
    response = client.post(f"/manage/events/{slug}/survey", data={
        "title": "Feedback", "opens_at": "2030-05-10T10:00", "closes_at": "2030-05-09T10:00", "audience": "checked_in",
    })
    assert 'id="closes_at-error">The survey must close after it opens.' in response.get_data(as_text=True)
    client.post(f"/manage/events/{slug}/survey", data={"title": "Feedback", "audience": "confirmed"})
    new = f"/manage/events/{slug}/survey/questions/new"
    page = client.post(new, data=question_form("single_choice", "Pick one", choices=["Only"])).get_data(as_text=True)
    assert 'id="choices-error">Give at least two different choices, one per line.' in page
    page = client.post(new, data=question_form("multiple_choice", "Pick", choices=["A", "B", "C"], min_picks=3,
                                               max_picks=2)).get_data(as_text=True)
    assert 'id="min_picks-error">The minimum cannot be more than the maximum.' in page
    page = client.post(new, data=question_form("multiple_choice", "Pick", choices=["A", "B"], max_picks=3)).get_data(as_text=True)
    assert 'id="max_picks-error">The maximum cannot be more than the number of choices.' in page
    page = client.post(new, data=question_form("rating", "")).get_data(as_text=True)
    assert 'id="label-error"' in page
    page = client.post(new, data=question_form("sorcery", "What?")).get_data(as_text=True)
    assert 'id="kind-error"' in page


def test_reorder_edit_delete(client, app, survey_setup, login):
    setup = survey_setup(language="en")
    login()
    base = f"/manage/events/{setup.slug}/survey"
    rating, nps = setup.questions["rating"], setup.questions["nps"]
    assert client.post(f"{base}/questions/{nps}/move", data={"direction": "up"}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert page.index("How likely are you to recommend it?") < page.index("How useful was the masterclass?")
    response = client.post(f"{base}/questions/{rating}/edit",
                           data=question_form("rating", "How useful was it, really?", section="Overall", required=True))
    assert response.status_code == 302
    assert "How useful was it, really?" in client.get(base).get_data(as_text=True)
    # Delete a question nobody has answered; a question with answers stays, to keep them.
    short = setup.questions["short_text"]
    assert client.post(f"{base}/questions/{short}/delete").status_code == 302
    assert "One word for the event" not in client.get(base).get_data(as_text=True)
    data = full_answers(setup)
    data.pop(f"q{short}")
    assert client.post(f"/s/{setup.tokens[setup.registrations[0]]}", data=data).status_code == 302
    response = client.post(f"{base}/questions/{rating}/delete", follow_redirects=True)
    assert "cannot be deleted without losing them" in response.get_data(as_text=True)
    response = client.post(f"{base}/questions/{rating}/edit", data=question_form("nps", "Changed kind"))
    assert 'id="kind-error">This question has answers' in response.get_data(as_text=True)
    # Questions of another event's survey are not reachable through this one.
    from app.surveys.models import SurveyQuestion

    with app.app_context():
        assert _db.session.get(SurveyQuestion, rating) is not None
    assert client.post(f"{base}/questions/999999/delete").status_code == 404
