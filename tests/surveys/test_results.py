"""Results: known answers give known means, medians, NPS and distributions; CSV; query count."""

import csv
import io
import re

import sqlalchemy as sa

from app.extensions import db as _db
from tests.surveys.conftest import FIVE, submit_known_answers


def text_of(html: str) -> str:
    """The page as a screen reader hears it: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def chart_rows(html: str, question_id: int) -> dict[str, tuple[int, str]]:
    table = re.search(rf'<table class="bar-chart" id="chart-{question_id}">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        label = text_of(re.search(r'<th scope="row" class="bar-label">(.*?)</th>', row, re.S).group(1)).strip()
        count = int(re.search(r'<td class="bar-count">(\d+)</td>', row).group(1))
        percent = re.search(r'<span class="bar-percent">([^<]+)</span>', row).group(1)
        rows[label] = (count, percent)
    return rows


def section_of(html: str, question_id: int) -> str:
    return re.search(rf'<section class="result-card" aria-labelledby="result-{question_id}">(.*?)</section>', html, re.S).group(1)


def test_results_page_shows_known_aggregates(client, survey_setup, login):
    setup = survey_setup(participants=FIVE, language="en")
    submit_known_answers(client, setup)
    login()
    response = client.get(f"/manage/events/{setup.slug}/survey/results")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(html)
    assert "5 responses" in page and "5 invited" in page and "100% response rate" in page

    rating = text_of(section_of(html, setup.questions["rating"]))
    assert "Mean 3.20" in rating and "Median 4" in rating  # 5, 4, 4, 2, 1
    assert chart_rows(html, setup.questions["rating"]) == {
        "1": (1, "20%"), "2": (1, "20%"), "3": (0, "0%"), "4": (2, "40%"), "5": (1, "20%"),
    }

    nps = text_of(section_of(html, setup.questions["nps"]))  # 10, 9, 9, 7, 3
    assert "Mean 7.60" in nps and "Median 9" in nps
    assert "NPS +40" in nps  # 60% promoters - 20% detractors
    assert "Promoters (9–10) 3" in nps and "Passives (7–8) 1" in nps and "Detractors (0–6) 1" in nps
    nps_rows = chart_rows(html, setup.questions["nps"])
    assert nps_rows["9"] == (2, "40%") and nps_rows["0"] == (0, "0%") and len(nps_rows) == 11

    assert chart_rows(html, setup.questions["single_choice"]) == {"Day one": (3, "60%"), "Day two": (2, "40%")}
    # Four people answered the multiple choice; percentages are of them.
    assert chart_rows(html, setup.questions["multiple_choice"]) == {
        "Experts": (3, "75%"), "Networking": (3, "75%"), "Venue": (2, "50%"), "Food": (1, "25%"),
    }
    assert chart_rows(html, setup.questions["yes_no"]) == {"Yes": (3, "60%"), "No": (2, "40%")}

    short = text_of(section_of(html, setup.questions["short_text"]))
    assert "Inspiring" in short and "+cmd" in short and "4 answers" in short
    long = text_of(section_of(html, setup.questions["long_text"]))
    assert "More consultations." in long and "Longer lunch." in long and "@risk" in long

    grid = section_of(html, setup.questions["session_grid"])
    ranking = [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", grid, re.S)[1:]]
    assert "1 Workshop: =cluster impact" in ranking[0] and "5.00 2" in ranking[0]  # 5, 5
    assert "2 Opening talk" in ranking[1] and "4.00 3" in ranking[1]  # 5, 4, 3
    # The charts are SVG drawn on the server, hidden from screen readers who get the numbers.
    assert 'aria-hidden="true"' in grid and "<svg" in grid
    assert "<script" not in html


def test_results_csv(client, survey_setup, login):
    setup = survey_setup(participants=FIVE, language="en")
    submit_known_answers(client, setup)
    login()
    response = client.get(f"/manage/events/{setup.slug}/survey/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 5
    assert header[:5] == ["Response", "Submitted", "Name", "Email", "Organisation"]
    assert "How useful was the masterclass?" in header
    assert "Rate the sessions you attended: Opening talk" in header
    assert "Rate the sessions you attended: Workshop: =cluster impact" in header
    by_name = {row[2]: dict(zip(header, row, strict=True)) for row in body}
    first = by_name["Győző Őze"]
    assert first["Email"] == "gyozo.oze@example.org"
    assert first["How likely are you to recommend it?"] == "10"
    assert first["What did you value?"] == "Experts; Networking"
    assert first["Will you come next year?"] == "Yes"
    assert first["Rate the sessions you attended: Workshop: =cluster impact"] == "5"
    # Formula injection is neutralised.
    shorts = {row["One word for the event"] for row in by_name.values()}
    assert "'=HYPERLINK(\"http://evil.example\")" in shorts and "'+cmd" in shorts
    assert "-2" in shorts  # a number, not a formula: shown as typed, with no apostrophe
    assert "'@risk" in {row["What should we improve?"] for row in by_name.values()}


def test_printable_summary(client, survey_setup, login):
    setup = survey_setup(participants=FIVE, language="en")
    submit_known_answers(client, setup)
    login()
    html = client.get(f"/manage/events/{setup.slug}/survey/results/print").get_data(as_text=True)
    assert "Feedback summary: Tell us how it went" in html
    assert 'class="subnav"' not in html  # no management navigation on paper
    assert "NPS" in html and "<svg" in html
    assert "<script src=\"/static/js/surveys.js\"" in html


def count_queries(app, client, url) -> int:
    with app.app_context():
        engine = _db.engine
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_results_query_count_does_not_grow_with_responses(app, client, survey_setup, login):
    setup = survey_setup(participants=FIVE, language="en")
    login()
    url = f"/manage/events/{setup.slug}/survey/results"
    submit_known_answers(client, setup, count=1)
    with_one = count_queries(app, client, url)
    submit_known_answers_rest(client, setup)
    with_five = count_queries(app, client, url)
    assert with_one == with_five
    csv_url = f"/manage/events/{setup.slug}/survey/results.csv"
    assert count_queries(app, client, csv_url) <= with_five + 5


def submit_known_answers_rest(client, setup):
    from tests.surveys.conftest import known_answers

    for registration_id, data in list(zip(setup.registrations, known_answers(setup), strict=True))[1:]:
        assert client.post(f"/s/{setup.tokens[registration_id]}", data=data).status_code == 302


def test_only_the_events_organisers_see_results(client, app, survey_setup, make_user, login):
    setup = survey_setup(participants=FIVE, language="en")
    submit_known_answers(client, setup, count=2)
    urls = [f"/manage/events/{setup.slug}/survey{suffix}" for suffix in
            ("", "/results", "/results.csv", "/results/print", "/invitations", "/preview")]
    for url in urls:  # anonymous visitor: sent to the login page
        assert client.get(url).status_code == 302
    make_user("other@example.com")
    login("other@example.com")
    for url in urls:
        assert client.get(url).status_code == 403, url
    # Check-in staff of this very event may not see them either.
    from app.auth import services as accounts
    from app.events import services as events

    make_user("door@example.com")
    with app.app_context():
        accounts.add_team_member(events.get_by_slug(setup.slug), "door@example.com", "staff")
        _db.session.commit()
    client.post("/logout")
    login("door@example.com")
    for url in urls:
        assert client.get(url).status_code == 403, url
