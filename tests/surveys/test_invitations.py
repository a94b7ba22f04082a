"""Invitations through the outbox to a real SMTP server on loopback, reminders, and the CLI."""

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db as _db
from tests.surveys.conftest import FIVE, full_answers


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def app(app_factory, smtp):
    """The application, sending mail to the loopback SMTP server (every fixture uses this app)."""
    _handler, port = smtp
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)


def deliver(app):
    from app.mail.services import deliver_due

    with app.app_context():
        report = deliver_due()
        _db.session.remove()
    return report


def parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def link_path(message) -> str:
    text, _html = parts(message)
    return re.search(r"http://localhost(/s/[A-Za-z0-9_-]+)", text).group(1)


def check_in(app, setup, indexes):
    from app.checkin.models import CheckIn
    from app.events import services as events

    with app.app_context():
        event = events.get_by_slug(setup.slug)
        for index in indexes:
            _db.session.add(CheckIn(event_id=event.id, registration_id=setup.registrations[index],
                                    day=event.starts_at.astimezone(event.tz).date()))
        _db.session.commit()


def test_invite_answer_twice_remind(app, client, login, smtp, survey_setup):
    handler, _port = smtp
    setup = survey_setup(invite=False, audience="checked_in", participants=FIVE, language="en")
    check_in(app, setup, [0, 1, 2])
    login()

    response = client.post(f"/manage/events/{setup.slug}/survey/send", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "3 invitations are on their way." in page
    assert deliver(app).sent == 3
    assert sorted(str(m["To"]) for m in handler.messages) == sorted(
        ["gyozo.oze@example.org", "asa.oberg@example.org", "inaki.munoz@example.org"])
    by_recipient = {str(m["To"]): m for m in handler.messages}
    hungarian = by_recipient["gyozo.oze@example.org"]
    english = by_recipient["asa.oberg@example.org"]
    assert '<html lang="hu">' in parts(hungarian)[1]  # in the registration's language
    assert '<html lang="en">' in parts(english)[1]
    assert "Győri Mesterkurzus" in str(english["Subject"])
    assert str(hungarian["Subject"]) != str(english["Subject"])  # translated for the Hungarian registration
    text, html = parts(english)
    assert "Tell us how it went" in text and "/s/" in html
    token = link_path(english).removeprefix("/s/")
    assert len(token) >= 22  # at least 128 random bits, URL-safe
    from app.core.tokens import hash_token
    from app.surveys.models import SurveyInvitation

    with app.app_context():
        stored = _db.session.execute(_db.select(SurveyInvitation.token_hash)).scalars().all()
        assert hash_token(token) in stored and token not in stored  # only the hash is kept
        _db.session.remove()

    # The link opens the survey; answer; try twice.
    visitor = app.test_client()
    assert "Tell us how it went" in visitor.get(link_path(english)).get_data(as_text=True)
    assert visitor.post(link_path(english), data=full_answers(setup)).status_code == 302
    again = visitor.post(link_path(english), data=full_answers(setup))
    assert again.status_code == 409 and "Thank you for your feedback" in again.get_data(as_text=True)

    # Nobody is invited twice, by the button or by the command.
    response = client.post(f"/manage/events/{setup.slug}/survey/send", follow_redirects=True)
    assert "Everyone in the audience has already been invited." in response.get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["surveys", "send", setup.slug])
    assert result.exit_code == 0, result.output
    assert "Queued 0 invitations; 3 already invited." in result.output
    assert deliver(app).sent == 0

    # A saved draft, then a reminder: the same link, and the draft is still there.
    hungarian_link = link_path(hungarian)
    visitor.post(hungarian_link, data={setup.q("short_text"): "Félkész", "action": "save"})
    handler.messages.clear()
    response = client.post(f"/manage/events/{setup.slug}/survey/remind", follow_redirects=True)
    assert "2 reminders are on their way." in response.get_data(as_text=True)
    assert deliver(app).sent == 2
    assert sorted(str(m["To"]) for m in handler.messages) == ["gyozo.oze@example.org", "inaki.munoz@example.org"]
    reminder = {str(m["To"]): m for m in handler.messages}["gyozo.oze@example.org"]
    assert link_path(reminder) == hungarian_link
    assert "Félkész" in visitor.get(hungarian_link).get_data(as_text=True)

    # Widening the audience invites only the newcomers, through the command.
    form = {"title": "Tell us how it went", "introduction": "", "opens_at": "", "closes_at": "", "audience": "confirmed"}
    assert client.post(f"/manage/events/{setup.slug}/survey", data=form).status_code == 302
    handler.messages.clear()
    result = app.test_cli_runner().invoke(args=["surveys", "send", setup.slug])
    assert "Queued 2 invitations; 3 already invited." in result.output
    assert deliver(app).sent == 2
    assert sorted(str(m["To"]) for m in handler.messages) == ["helmut.gruss@example.org", "stefan.turcanu@example.org"]

    # The organiser sees who has and has not answered.
    page = client.get(f"/manage/events/{setup.slug}/survey/invitations").get_data(as_text=True)
    assert re.search(r'<span class="stat">5</span> invited', page)
    assert re.search(r'<span class="stat">1</span> answered', page)
    assert "Started, not sent" in page


def test_cli_refuses_unknown_event_and_closed_survey(app, survey_setup):
    setup = survey_setup(invite=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["surveys", "send", "no-such-event"])
    assert result.exit_code != 0 and "No survey" in result.output
    from datetime import timedelta

    from app.core.models import utcnow
    from app.surveys.models import Survey

    with app.app_context():
        survey = _db.session.get(Survey, setup.survey_id)
        survey.closes_at = utcnow() - timedelta(hours=1)
        _db.session.commit()
        _db.session.remove()
    result = runner.invoke(args=["surveys", "send", setup.slug])
    assert result.exit_code != 0 and "closed" in result.output
