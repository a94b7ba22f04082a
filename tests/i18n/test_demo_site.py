"""The demo site read from end to end, as a new user would, in each language: no phrase of the other one.

Every page linked from the home page, the organiser's pages and the participants' private links
(registration, survey) is visited. Phrases come from the catalogue (three words or more), so
the demo's own content, which is in English, does not count.
"""

import re
from urllib.parse import urlparse

import lxml.html
import pytest

from app.extensions import db as _db
from tests.i18n.helpers import english_phrases_in, html_lang, hungarian_phrases_in, text

PASSWORD = "demo password 2024"
SKIP = ("logout", ".pdf", ".csv", ".ics", ".xlsx", ".json", ".xml", "/static/", "/delete", "/c/", "/language")


@pytest.fixture
def demo(app, tmp_path):
    from app.demo import load_demo

    app.instance_path = str(tmp_path)
    with app.app_context():
        load_demo(PASSWORD)
        _db.session.commit()
        from app.mail.models import OutboxMessage

        bodies = [m.body_text for m in _db.session.execute(_db.select(OutboxMessage)).scalars()]
        _db.session.remove()
    private = sorted({path for body in bodies for path in re.findall(r"https?://[^/\s]+(/[rs]/[A-Za-z0-9_\-]+)", body)})
    registrations, surveys = [p for p in private if p.startswith("/r/")], [p for p in private if p.startswith("/s/")]
    return registrations[:3] + surveys[:3]


def links(response) -> list[str]:
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    found = []
    for href in doc.xpath("//a/@href"):
        parsed = urlparse(href)
        if not parsed.netloc and parsed.path.startswith("/"):
            found.append(parsed.path)
    return found


@pytest.mark.parametrize("language", ["hu", "en"])
def test_every_demo_page_reads_in_one_language(app, demo, login, language):
    client = app.test_client()
    login("organiser@example.com", PASSWORD, target=client)
    client.post("/language", data={"lang": language, "next": "/"})
    queue, seen, problems = ["/", "/manage/", "/manage/account", *demo], set(), []
    while queue and len(seen) < 250:
        path = queue.pop(0)
        if path in seen or any(part in path for part in SKIP):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        queue.extend(links(response))
        page = text(response)
        if html_lang(response) != language:
            problems.append(f"{path}: lang={html_lang(response)}")
        other = english_phrases_in(page) if language == "hu" else hungarian_phrases_in(page)
        if other:
            problems.append(f"{path}: {other}")
    assert len(seen) > 60
    assert any(path.startswith("/r/") for path in seen)
    assert not problems, "\n".join(problems)
