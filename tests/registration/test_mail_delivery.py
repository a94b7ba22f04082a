"""Mail goes through the outbox to a real SMTP server on loopback, and is never lost."""

import threading
import time

from app.extensions import db
from app.mail import services as mail
from app.mail.models import OutboxMessage


def deliver(app):
    with app.app_context():
        report = mail.deliver_due()
        db.session.remove()
        return report


def test_confirmation_is_delivered_with_text_html_and_calendar(mail_app, smtp_server, make_event, register_form):
    make_event(capacity="30")
    client = mail_app.test_client()
    client.post("/events/gyori-mesterkurzus/register", data=register_form())
    assert deliver(mail_app).sent == 1
    [message] = smtp_server.messages
    assert message["To"] == "gyozo.oze@example.org"
    assert "Győri Mesterkurzus" in message["Subject"]
    assert message["Reply-To"] == "info@example.com"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Your registration for Győri Mesterkurzus is confirmed" in parts["text/plain"].get_content()
    assert "Open my registration" in parts["text/html"].get_content()
    calendar = parts["text/calendar"].get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "BEGIN:VCALENDAR" in calendar and "Győri Mesterkurzus" in calendar


def test_server_down_then_back_delivers_exactly_once(mail_app, smtp_server, make_event, register_form):
    make_event()
    smtp_server.stop()
    client = mail_app.test_client()
    response = client.post("/events/gyori-mesterkurzus/register", data=register_form())
    assert response.status_code == 302  # the participant is not held up by the mail server
    report = deliver(mail_app)
    assert (report.sent, report.failed) == (0, 1)
    with mail_app.app_context():
        message = db.session.execute(db.select(OutboxMessage)).scalar_one()
        assert message.status == "queued" and message.attempts == 1 and message.last_error
        # Make the retry due now instead of waiting for the backoff.
        message.next_attempt_at = mail.utcnow()
        db.session.commit()
        db.session.remove()
    smtp_server.start()
    assert deliver(mail_app).sent == 1
    assert deliver(mail_app).sent == 0
    assert len(smtp_server.messages) == 1


def test_concurrent_workers_send_each_message_once(mail_app, smtp_server, make_event, register_form):
    make_event()
    client = mail_app.test_client()
    for number in range(6):
        client.post("/events/gyori-mesterkurzus/register", data=register_form(email=f"p{number}@example.org"))
    threads = [threading.Thread(target=deliver, args=(mail_app,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(f"p{n}@example.org" for n in range(6))


def test_web_process_delivers_in_the_background_after_the_commit(app_factory, smtp_server, make_event, register_form):
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_DELIVER_IN_BACKGROUND=True)
    make_event()
    app.test_client().post("/events/gyori-mesterkurzus/register", data=register_form())
    deadline = time.monotonic() + 10
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp_server.messages) == 1


def test_nothing_is_sent_for_a_change_that_rolled_back(mail_app, smtp_server, make_event, register_form):
    make_event()
    client = mail_app.test_client()
    client.post("/events/gyori-mesterkurzus/register", data=register_form(privacy_consent=None))
    assert deliver(mail_app).sent == 0
    assert smtp_server.messages == []


def test_flask_mail_send_command_delivers(mail_app, smtp_server, make_event, register_form):
    make_event()
    mail_app.test_client().post("/events/gyori-mesterkurzus/register", data=register_form())
    result = mail_app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(smtp_server.messages) == 1


def test_gives_up_after_the_last_attempt_and_organiser_sees_the_error(mail_app, smtp_server, make_event, register_form, login):
    make_event()
    smtp_server.stop()
    client = mail_app.test_client()
    client.post("/events/gyori-mesterkurzus/register", data=register_form())
    for _ in range(mail.MAX_ATTEMPTS):
        with mail_app.app_context():
            db.session.execute(db.update(OutboxMessage).values(next_attempt_at=mail.utcnow()))
            db.session.commit()
            db.session.remove()
        deliver(mail_app)
    login(target=client)
    page = client.get("/manage/events/gyori-mesterkurzus/emails").get_data(as_text=True)
    assert "Failed" in page
    assert "ConnectionRefusedError" in page or "Connection refused" in page


def test_message_id_is_on_the_sites_domain_and_stable_across_attempts(mail_app, smtp_server, make_event, register_form):
    mail_app.config["BASE_URL"] = "https://events.example.org"
    make_event(capacity="30")
    mail_app.test_client().post("/events/gyori-mesterkurzus/register", data=register_form())
    smtp_server.stop()
    assert deliver(mail_app).sent == 0  # the first attempt fails: the server is down
    with mail_app.app_context():
        db.session.execute(db.update(OutboxMessage).values(next_attempt_at=OutboxMessage.created_at))
        db.session.commit()
        [queued] = db.session.execute(db.select(OutboxMessage)).scalars().all()
        expected = mail.message_id_of(queued)
    smtp_server.start()
    assert deliver(mail_app).sent == 1
    [message] = smtp_server.messages
    assert message["Message-ID"] == expected
    assert message["Message-ID"].endswith("@events.example.org>")
