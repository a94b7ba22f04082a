"""The emails a participant gets when their registration changes.

Each goes through the outbox in the registration's language, in the same transaction as
the change it reports.
"""

from flask_babel import lazy_gettext as _l

from app.calendar.cache import event_calendar
from app.core.urls import external_url
from app.mail.services import Attachment, queue_templated
from app.registration.models import RegistrationStatus


def _links(registration, event) -> dict:
    from app.registration.services import manage_token

    token = manage_token(registration)
    return {
        "manage_url": external_url("participant.manage", token=token),
        "badge_url": external_url("badges.participant_badge", token=token),
        "event_url": external_url("events.event_page", slug=event.slug),
    }


def _calendar_attachments(event) -> list[Attachment]:
    # The same feed as /events/<slug>/calendar.ics, so the invitation and the feed agree (and the
    # same cached bytes: building them for 60 sessions would take ~50 ms under the event's lock).
    return [Attachment(f"{event.slug}.ics", "text/calendar; charset=utf-8; method=PUBLISH", event_calendar(event))]


def _send(template: str, kind: str, subject, registration, event, attachments=(), **context) -> None:
    queue_templated(
        template,
        kind=kind,
        recipient=registration.email,
        subject=subject,
        language=registration.language,
        context={**_links(registration, event), **context},
        event=event,
        registration=registration,
        attachments=attachments,
    )


def status_email(registration, event, *, with_sessions: bool = False, refused_sessions=()) -> None:
    """Tell the participant where their registration stands now."""
    if registration.status == RegistrationStatus.CONFIRMED:
        confirmed(registration, event, with_sessions=with_sessions, refused_sessions=refused_sessions)
    elif registration.status == RegistrationStatus.PENDING:
        _send("registration_pending", "pending", _l("We received your registration: %(title)s", title=event.title),
              registration, event)
    elif registration.status == RegistrationStatus.WAITLISTED:
        _send("registration_waitlisted", "waitlisted", _l("You are on the waiting list: %(title)s", title=event.title),
              registration, event)


def confirmed(registration, event, *, with_sessions: bool = False, refused_sessions=()) -> None:
    from app.agenda.services import signups_of

    _send("registration_confirmed", "confirmation", _l("Your registration is confirmed: %(title)s", title=event.title),
          registration, event, attachments=_calendar_attachments(event),
          my_sessions=signups_of(registration) if with_sessions else [], refused_sessions=list(refused_sessions))


def promoted(registration, event) -> None:
    _send("registration_promoted", "promoted", _l("A seat is yours: %(title)s", title=event.title),
          registration, event, attachments=_calendar_attachments(event))


def cancelled(registration, event) -> None:
    _send("registration_cancelled", "cancellation", _l("Your registration is cancelled: %(title)s", title=event.title),
          registration, event)


def declined(registration, event) -> None:
    _send("registration_declined", "decline", _l("About your registration: %(title)s", title=event.title),
          registration, event)


def link_reminder(registration, event) -> None:
    _send("registration_link", "link", _l("Your registration link: %(title)s", title=event.title), registration, event)
