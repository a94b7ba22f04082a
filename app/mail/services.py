"""Queueing and delivering mail through the outbox.

A message is written to the outbox in the same transaction as the change that caused it,
so nothing is sent for a change that rolled back and nothing is lost when the mail server
is down. Delivery claims each message before sending it (an UPDATE that only one worker
can win), so concurrent workers never send a message twice; failures are retried with
exponential backoff until ``MAX_ATTEMPTS``.
"""

import base64
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from flask_mail import Message

from app.core.models import utcnow
from app.extensions import db, mail
from app.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=2)
# A message claimed this long ago by a worker that never finished is tried again.
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode("ascii"),
        }


def queue(
    *,
    kind: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    event=None,
    registration=None,
    reply_to: str = "",
    attachments: Iterable[Attachment] = (),
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction."""
    message = OutboxMessage(
        kind=kind,
        event_id=event.id if event is not None else None,
        registration_id=registration.id if registration is not None else None,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        reply_to=reply_to or (event.contact_email if event is not None else ""),
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=[attachment.as_json() for attachment in attachments],
        status=OutboxStatus.QUEUED,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        g.mail_queued = True
    return message


def queue_templated(
    template: str,
    *,
    kind: str,
    recipient: str,
    subject,
    language: str,
    context: dict,
    event=None,
    registration=None,
    attachments: Iterable[Attachment] = (),
) -> OutboxMessage:
    """Render ``mail/<template>.txt`` and ``.html`` in the recipient's language, then queue them.

    ``subject`` may be a lazy string or a callable; it is rendered in the same language.
    """
    with force_locale(language):
        subject_text = str(subject() if callable(subject) else subject)
        context = {**context, "subject": subject_text, "event": event, "registration": registration}
        body_text = render_template(f"mail/{template}.txt", **context)
        body_html = render_template(f"mail/{template}.html", **context)
    return queue(
        kind=kind, recipient=recipient, subject=subject_text, body_text=body_text, body_html=body_html,
        event=event, registration=registration, attachments=attachments,
    )


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _claim(message_id: int, now: datetime) -> bool:
    """Mark a due message as being sent; only one worker can win the claim."""
    result: sa.CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE answers with a cursor
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.SENDING, next_attempt_at=now + STALE_CLAIM, attempts=OutboxMessage.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def message_id_of(message: OutboxMessage) -> str:
    """The ``Message-ID``: on the site's own domain (from BASE_URL, never the machine's name such as
    ``localhost``) and the same for every attempt, so a receiver sees a retry as the same message."""
    domain = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"<outbox.{message.id}.{int(message.created_at.timestamp())}@{domain}>"


def _as_flask_mail(message: OutboxMessage) -> Message:
    mail_message = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html or None,
        sender=message.sender,
        reply_to=message.reply_to or None,
    )
    mail_message.msgId = message_id_of(message)
    for attachment in message.attachments or []:
        mail_message.attach(
            attachment["filename"], attachment["content_type"], base64.b64decode(attachment["data"])
        )
    return mail_message


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def deliver_due(now: datetime | None = None, limit: int = 200) -> DeliveryReport:
    """Send every message that is due; commits as it goes. Safe to run in several workers."""
    now = now or utcnow()
    report = DeliveryReport()
    # Claims left behind by a worker that died mid-send become due again.
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= now)
        .values(status=OutboxStatus.QUEUED)
    )
    db.session.commit()
    due_ids = db.session.execute(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).scalars().all()
    db.session.commit()
    for message_id in due_ids:
        if not _claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        if message is None:  # deleted since (an erasure) after the claim
            continue
        try:
            mail.send(_as_flask_mail(message))
        except Exception as error:  # any SMTP or socket failure: keep the message, try later
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                report.gave_up += 1
            else:
                message.status = OutboxStatus.QUEUED
                message.next_attempt_at = utcnow() + retry_delay(message.attempts)
            report.failed += 1
            log.warning("Mail %s to %s failed (attempt %s): %s", message.id, message.recipient, message.attempts, error)
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = ""
            report.sent += 1
        db.session.commit()
    return report


def retry_now(message: OutboxMessage) -> None:
    """An organiser asks to try a failed message again."""
    message.status = OutboxStatus.QUEUED
    message.next_attempt_at = utcnow()
    message.attempts = 0
    db.session.flush()


def outbox_for_event(event, limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.session.execute(
            db.select(OutboxMessage).filter_by(event_id=event.id).order_by(OutboxMessage.id.desc()).limit(limit)
        ).scalars()
    )


def outbox_counts(event) -> dict[str, int]:
    rows = db.session.execute(
        db.select(OutboxMessage.status, sa.func.count(OutboxMessage.id))
        .where(OutboxMessage.event_id == event.id)
        .group_by(OutboxMessage.status)
    ).all()
    counts: dict[str, int] = dict.fromkeys((OutboxStatus.QUEUED, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.FAILED), 0)
    counts.update(dict(rows))
    return counts


def start_background_delivery(app) -> threading.Thread:
    """Deliver what is due in a thread, so the request that queued it is not held up."""

    def run():
        with app.app_context():
            try:
                deliver_due()
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name="mail-delivery", daemon=True)
    # Kept so a graceful shutdown (and the test suite) can wait for deliveries in flight.
    threads = app.extensions.setdefault("mail_delivery_threads", [])
    threads[:] = [alive for alive in threads if alive.is_alive()]
    threads.append(thread)
    thread.start()
    return thread


def wait_for_background_delivery(app, timeout: float = 10.0) -> None:
    for thread in list(app.extensions.get("mail_delivery_threads", [])):
        thread.join(timeout)


def record_as_sent(event_id: int, written_at: dict[int, datetime], delay: timedelta) -> int:
    """Show the event's messages about each registration as written at ``written_at[registration_id]``
    and sent ``delay`` later (the demo's past event, whose confirmations went out long ago)."""
    messages = db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.event_id == event_id, OutboxMessage.registration_id.in_(written_at))
    ).scalars().all()
    for message in messages:
        message.status = OutboxStatus.SENT
        message.attempts = 1
        message.created_at = written_at[message.registration_id]
        message.sent_at = message.created_at + delay
    db.session.flush()
    return len(messages)


def forget_person(*, event_id: int, registration_id: int, email: str, names: tuple[str, ...],
                  replacement_address: str, replacement_name: str) -> None:
    """Erasure: queued mail to the person is dropped; what was sent stays as a bare record (kind,
    date) addressed to ``replacement_address``; other messages of the event that mention the
    person's address or full name have it replaced by ``replacement_name``."""
    about = sa.or_(
        OutboxMessage.registration_id == registration_id,
        sa.and_(OutboxMessage.event_id == event_id, OutboxMessage.recipient == email),
    )
    db.session.execute(
        sa.delete(OutboxMessage).where(about, OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.FAILED)))
    )
    db.session.execute(
        sa.update(OutboxMessage).where(about).values(
            recipient=replacement_address, subject="", body_text="", body_html="", attachments=[], last_error="",
            registration_id=None,
        ).execution_options(synchronize_session=False)
    )
    mentions = [text for text in (email, *names) if len(text) > 3]
    if not mentions:
        return
    messages = db.session.execute(
        db.select(OutboxMessage).where(
            OutboxMessage.event_id == event_id,
            sa.or_(*[column.contains(text, autoescape=True) for text in mentions
                     for column in (OutboxMessage.body_text, OutboxMessage.body_html, OutboxMessage.subject)]),
        )
    ).scalars()
    for message in messages:
        for text in mentions:
            message.subject = message.subject.replace(text, replacement_name)
            message.body_text = message.body_text.replace(text, replacement_name)
            message.body_html = (message.body_html or "").replace(text, replacement_name)


def init_app(app) -> None:
    @app.after_request
    def deliver_after_commit(response):
        # Only after a successful response: the view has committed what it queued.
        if g.pop("mail_queued", False) and app.config.get("MAIL_DELIVER_IN_BACKGROUND") and response.status_code < 400:
            start_background_delivery(app)
        return response
