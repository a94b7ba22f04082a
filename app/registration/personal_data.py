"""The participant's personal data: what the export shows them, and how erasure forgets it.

``app.privacy`` decides when a registration is erased; this module is the registration's own
part of it (the row is kept, anonymised, so the counts by status stay right).
"""

from datetime import datetime

import sqlalchemy as sa

from app.badges import services as badges
from app.core.tokens import hash_token, new_nonce, new_token
from app.extensions import db
from app.registration.models import Answer, Registration
from app.registration.questions import all_questions


def _stamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def personal_data(registration: Registration) -> dict:
    """The participant's data export: their details, answers, consents and history."""
    event = registration.event
    questions = {question.id: question for question in all_questions(event)}
    return {
        "event": {"title": event.title, "slug": event.slug, "starts_at": _stamp(event.starts_at), "ends_at": _stamp(event.ends_at)},
        "registration": {
            "status": registration.status,
            "waitlist_position": registration.waitlist_position,
            "first_name": registration.first_name,
            "last_name": registration.last_name,
            "email": registration.email,
            "organisation": registration.organisation,
            "job_title": registration.job_title,
            "country": registration.country,
            "phone": registration.phone,
            "language": registration.language,
            "registered_at": _stamp(registration.created_at),
            "status_changed_at": _stamp(registration.status_changed_at),
        },
        "answers": [
            {"question": questions[answer.question_id].label, "answer": answer.value}
            for answer in registration.answers
            if answer.question_id in questions
        ],
        "consents": {
            "privacy_notice": {"agreed_at": _stamp(registration.consent_privacy_at), "version": registration.consent_privacy_version},
            "photos": _stamp(registration.consent_photo_at),
            "future_events": _stamp(registration.consent_future_events_at),
            "public_participant_list": _stamp(registration.consent_public_list_at),
        },
    }


ERASED_NAME = "—"


def erased_email(registration: Registration) -> str:
    # Unique per event (the table's constraint) and undeliverable (.invalid is reserved).
    return f"erased-{registration.id}@erased.invalid"


def anonymise(registration: Registration, now: datetime) -> None:
    """Erasure of the registration row itself: names, contacts, answers, consents, badge and link.

    The row stays (counts by status stay right); the old private link opens nothing, as a fresh
    random token that nobody ever saw replaces it.
    """
    registration.first_name = ERASED_NAME
    registration.last_name = ""
    registration.email = erased_email(registration)
    registration.organisation = ""
    registration.job_title = ""
    registration.country = ""
    registration.phone = ""
    registration.manage_token_nonce = new_nonce()
    registration.manage_token_hash = hash_token(new_token())
    registration.consent_privacy_at = None
    registration.consent_privacy_version = None
    registration.consent_photo_at = None
    registration.consent_future_events_at = None
    registration.consent_public_list_at = None
    registration.badge_printed_at = None
    if registration.badge_secret is not None:
        badges.revoke_badge(registration)
    registration.waitlist_position = None
    registration.erased_at = now
    db.session.execute(sa.delete(Answer).where(Answer.registration_id == registration.id))
    db.session.expire(registration, ["answers"])
    db.session.flush()
