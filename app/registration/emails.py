"""The emails a participant gets when their registration changes.

Each goes through the outbox in the registration's language, in the same transaction as
the change it reports, about the registration's own event.
"""

from flask_babel import lazy_gettext as _l

from app.agenda.signups import signups_of
from app.calendar.cache import event_calendar
from app.core.urls import external_url
from app.mail.services import Attachment, queue_templated
from app.registration.links import manage_token
from app.registration.models import Registration


def _links(registration: Registration) -> dict:
    token = manage_token(registration)
    return {
        "manage_url": external_url("participant.manage", token=token),
        "badge_url": external_url("badges.participant_badge", token=token),
        "event_url": external_url("events.event_page", slug=registration.event.slug),
    }


def _calendar_attachments(event) -> list[Attachment]:
    # The same feed as /events/<slug>/calendar.ics, so the invitation and the feed agree (and the
    # same cached bytes: building them for 60 sessions would take ~50 ms under the event's lock).
    return [Attachment(f"{event.slug}.ics", "text/calendar; charset=utf-8; method=PUBLISH", event_calendar(event))]


def _send(template: str, kind: str, subject, registration: Registration, *, with_calendar: bool = False, **context) -> None:
    event = registration.event
    queue_templated(
        template,
        kind=kind,
        recipient=registration.email,
        subject=subject,
        language=registration.language,
        context={**_links(registration), **context},
        event=event,
        registration=registration,
        attachments=_calendar_attachments(event) if with_calendar else (),
    )


def status_email(registration: Registration, *, with_sessions: bool = False, refused_sessions=()) -> None:
    """Tell the participant where their registration stands now."""
    title = registration.event.title
    if registration.is_confirmed:
        confirmed(registration, with_sessions=with_sessions, refused_sessions=refused_sessions)
    elif registration.is_pending:
        _send("registration_pending", "pending", _l("We received your registration: %(title)s", title=title), registration)
    elif registration.is_waitlisted:
        _send("registration_waitlisted", "waitlisted", _l("You are on the waiting list: %(title)s", title=title), registration)


def confirmed(registration: Registration, *, with_sessions: bool = False, refused_sessions=()) -> None:
    _send("registration_confirmed", "confirmation",
          _l("Your registration is confirmed: %(title)s", title=registration.event.title), registration,
          with_calendar=True, my_sessions=signups_of(registration) if with_sessions else [],
          refused_sessions=list(refused_sessions))


def promoted(registration: Registration) -> None:
    _send("registration_promoted", "promoted", _l("A seat is yours: %(title)s", title=registration.event.title),
          registration, with_calendar=True)


def cancelled(registration: Registration) -> None:
    _send("registration_cancelled", "cancellation",
          _l("Your registration is cancelled: %(title)s", title=registration.event.title), registration)


def declined(registration: Registration) -> None:
    _send("registration_declined", "decline", _l("About your registration: %(title)s", title=registration.event.title),
          registration)


def link_reminder(registration: Registration) -> None:
    _send("registration_link", "link", _l("Your registration link: %(title)s", title=registration.event.title), registration)
