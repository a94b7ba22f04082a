"""One response per invitation, even when the same link is submitted many times at once."""

import threading

import pytest

from app.extensions import db as _db
from tests.surveys.conftest import full_answers


@pytest.mark.parametrize("anonymous", [False, True])
def test_concurrent_submissions_record_one_response(app, survey_setup, anonymous):
    setup = survey_setup(anonymous=anonymous, language="en")
    token = setup.tokens[setup.registrations[0]]
    data = full_answers(setup)
    attempts = 6
    barrier = threading.Barrier(attempts)
    statuses = []
    lock = threading.Lock()

    def submit():
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/s/{token}", data=data)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=submit) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302] + [409] * (attempts - 1)
    from app.surveys.models import SurveyAnswer, SurveyResponse

    with app.app_context():
        assert _db.session.execute(_db.select(_db.func.count(SurveyResponse.id))).scalar_one() == 1
        # One answer per question (two for the grid would be one per session): nothing doubled.
        answers = _db.session.execute(_db.select(_db.func.count(SurveyAnswer.id))).scalar_one()
        assert answers == len([key for key in data if key != "action"])
        _db.session.remove()
