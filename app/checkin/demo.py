"""Demo data for badges and check-in: the past event's attendance, badges ready for the next one."""

from datetime import datetime, time, timedelta

from app.auth import services as accounts
from app.badges import services as badges
from app.checkin import services as checkin
from app.core.timezones import event_days
from app.events import services as events
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus


def load_checkin_demo(past_slug: str, upcoming_slugs: tuple[str, ...], staff_email: str) -> None:
    """Check the past event's participants in on each of its days (through the same service the
    door uses, so running it twice changes nothing), and give every confirmed registration of the
    upcoming events a badge secret."""
    staff = accounts.find_user(staff_email)
    past = events.get_by_slug(past_slug)
    if past is not None:
        confirmed = db.session.execute(
            db.select(Registration).filter_by(event_id=past.id, status=RegistrationStatus.CONFIRMED).order_by(Registration.id)
        ).scalars()
        people = list(confirmed)
        for day in event_days(past.starts_at, past.ends_at, past.timezone):
            opening = datetime.combine(day, time(8, 30), tzinfo=past.tz)
            for index, registration in enumerate(people):
                if registration.badge_secret is None:
                    badges.issue_badge_secret(registration)
                checkin.admit(past, registration, by=staff, now=opening + timedelta(minutes=index % 45, seconds=7 * index))
    for slug in upcoming_slugs:
        event = events.get_by_slug(slug)
        if event is not None:
            badges.event_badges(event)  # issues the missing badge secrets
    db.session.flush()
