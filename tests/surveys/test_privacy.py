"""Anonymous surveys: no names or emails on any page or export, nothing personal reachable from a response."""

import re

from app.extensions import db as _db
from tests.surveys.conftest import FIVE, submit_known_answers

PERSONAL = ["Győző", "Őze", "gyozo.oze@example.org", "Öberg", "asa.oberg@example.org", "Muñoz", "Țurcanu", "Gruß",
            "example.org", "Klaszter Kft."]


def test_anonymous_pages_and_exports_carry_no_personal_data(client, survey_setup, login):
    setup = survey_setup(participants=FIVE, anonymous=True, language="en")
    submit_known_answers(client, setup, count=3)
    login()
    base = f"/manage/events/{setup.slug}/survey"
    for url in (base, f"{base}/invitations", f"{base}/results", f"{base}/results/print", f"{base}/results.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for personal in PERSONAL:
            assert personal not in body, (url, personal)
    invitations = client.get(f"{base}/invitations").get_data(as_text=True)
    assert "only the numbers above are shown" in invitations
    assert re.search(r'<span class="stat">3</span> answered', invitations)
    assert re.search(r'<span class="stat">2</span> not answered yet', invitations)
    header = client.get(f"{base}/results.csv").get_data(as_text=True).splitlines()[0]
    assert "Name" not in header and "Email" not in header and "Organisation" not in header


def test_nothing_links_an_anonymous_response_to_a_person(client, app, survey_setup):
    setup = survey_setup(participants=FIVE, anonymous=True, language="en")
    token = setup.tokens[setup.registrations[0]]
    # A draft saved first is personal (it sits on the invitation) and must not survive the submission.
    client.post(f"/s/{token}", data={setup.q("long_text"): "Draft words", "action": "save"})
    submit_known_answers(client, setup, count=1)
    from app.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse

    with app.app_context():
        response = _db.session.execute(_db.select(SurveyResponse)).scalar_one()
        assert response.invitation_id is None
        # Only the day is kept, on both sides, so the moment of answering cannot pair them up.
        assert (response.submitted_at.hour, response.submitted_at.minute, response.submitted_at.second) == (0, 0, 0)
        invitation = _db.session.execute(
            _db.select(SurveyInvitation).filter_by(registration_id=setup.registrations[0])
        ).scalar_one()
        assert invitation.submitted_at == response.submitted_at
        assert invitation.draft == {}
        answers = _db.session.execute(_db.select(SurveyAnswer).filter_by(response_id=response.id)).scalars().all()
        # An answer row has no column pointing at a person; its values are only the answers given.
        assert set(SurveyAnswer.__table__.columns.keys()) == {"id", "response_id", "question_id", "session_id", "value"}
        assert set(SurveyResponse.__table__.columns.keys()) == {"id", "survey_id", "invitation_id", "submitted_at"}
        for answer in answers:
            for personal in PERSONAL:
                assert personal not in str(answer.value)
    # The link now only says thank you; it shows none of the answers.
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Thank you for your feedback" in page and "Inspiring" not in page


def test_anonymity_cannot_change_once_invitations_are_sent(client, survey_setup, login):
    setup = survey_setup(anonymous=True, language="en")
    login()
    response = client.post(f"/manage/events/{setup.slug}/survey", data={
        "title": "Tell us how it went", "introduction": "", "opens_at": "", "closes_at": "",
        "audience": "confirmed",  # anonymous unticked
    })
    assert response.status_code == 200
    assert "whether answers are anonymous can no longer change" in response.get_data(as_text=True)


def test_named_survey_shows_who_has_and_has_not_answered(client, survey_setup, login):
    setup = survey_setup(participants=FIVE, language="en")
    submit_known_answers(client, setup, count=2)
    login()
    page = client.get(f"/manage/events/{setup.slug}/survey/invitations").get_data(as_text=True)
    rows = {re.sub(r"<[^>]+>", "", row.split("</td>")[0]).strip(): row for row in page.split("<tr>")[2:]}
    assert "Answered" in rows["Győző Őze"] and "Answered" in rows["Åsa Öberg"]
    assert "Not answered" in rows["Helmut Gruß"] and "Not answered" in rows["Iñaki Muñoz"]
