"""The organiser's messages to participants: one outbox entry for each recipient."""

from app.audit import services as audit
from app.events.models import Event
from app.extensions import db
from app.mail.services import queue_templated
from app.registration.models import ACTIVE_STATUSES, Registration

ALL_ACTIVE = "all_active"  # the audience of everyone still in the running


def recipients(event: Event, audience: str) -> list[Registration]:
    """Who an audience is: ``all_active`` or one status; erased registrations never."""
    statuses = ACTIVE_STATUSES if audience == ALL_ACTIVE else (audience,)
    return list(db.session.execute(
        db.select(Registration).where(Registration.event_id == event.id, Registration.status.in_(statuses),
                                      Registration.erased_at.is_(None))
    ).scalars())


def send_message(event: Event, audience: str, subject: str, body: str) -> int:
    """The organiser's message to a filtered set of participants, one outbox entry each."""
    people = recipients(event, audience)
    for registration in people:
        queue_templated("message", kind="organiser_message", recipient=registration.email, subject=subject,
                        language=registration.language, context={"body": body}, event=event, registration=registration)
    audit.record("mail.message", event=event, target=subject, audience=audience, count=len(people))
    return len(people)
