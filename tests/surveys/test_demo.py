"""`flask demo` gives the past masterclass a survey whose results page shows every chart."""

import re

from app.extensions import db as _db


def test_demo_survey_with_every_chart(app, client, runner):
    first = runner.invoke(args=["demo", "--password", "demo password 1"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "--password", "demo password 1"])  # idempotent
    assert second.exit_code == 0, second.output
    from app.surveys.models import SurveyResponse

    with app.app_context():
        assert _db.session.execute(_db.select(_db.func.count(SurveyResponse.id))).scalar_one() == 25
        _db.session.remove()
    client.post("/login", data={"email": "organiser@example.com", "password": "demo password 1"})
    response = client.get("/manage/events/clusterix-masterclass-2018/survey/results")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "25 responses" in text
    assert html.count('<table class="bar-chart" id="chart-') == 5  # rating, NPS, single, multiple, yes/no
    assert "NPS" in text and "Mean" in text and "Median" in text
    assert 'class="bar-chart session-ranking"' in html
    assert html.count('<ul class="text-answers">') == 2
    csv_response = client.get("/manage/events/clusterix-masterclass-2018/survey/results.csv")
    assert len(csv_response.get_data(as_text=True).strip().splitlines()) == 26
    invitations = client.get("/manage/events/clusterix-masterclass-2018/survey/invitations").get_data(as_text=True)
    assert "Not answered" in invitations and "Answered" in invitations
