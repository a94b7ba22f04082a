"""What an event's overview page shows, gathered from each feature (reading only)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.checkin.services import checkins_per_day
from app.events.models import Event
from app.extensions import db
from app.mail.services import outbox_counts
from app.registration.lists import registrations_per_day
from app.registration.models import RegistrationStatus
from app.registration.services import counts_by_status, registration_window
from app.surveys.builder import get_survey
from app.surveys.models import SurveyInvitation

# The registration figures of the overview, in the order they are shown, each linking to the filtered list.
FIGURES = (
    (RegistrationStatus.CONFIRMED, _l("confirmed")),
    (RegistrationStatus.PENDING, _l("awaiting approval")),
    (RegistrationStatus.WAITLISTED, _l("on the waiting list")),
    (RegistrationStatus.DECLINED, _l("declined")),
    (RegistrationStatus.CANCELLED, _l("cancelled")),
)


def survey_summary(event: Event) -> dict | None:
    """The feedback survey's invitations and answers, or None when the event has no survey yet."""
    survey = get_survey(event)
    if survey is None:
        return None
    invited, answered = db.session.execute(
        db.select(sa.func.count(SurveyInvitation.id), sa.func.count(SurveyInvitation.submitted_at)).filter_by(survey_id=survey.id)
    ).one()
    return {"survey": survey, "invited": invited, "answered": answered, "rate": round(100 * answered / invited) if invited else None}


def overview(event: Event) -> dict:
    """The dashboard's figures: registrations by status and per day, the outbox, check-ins and the survey."""
    per_day = registrations_per_day(event)
    return {
        "counts": counts_by_status(event), "figures": FIGURES, "statuses": RegistrationStatus, "window": registration_window(event),
        "per_day": per_day, "busiest": max((count for _day, count in per_day), default=0),
        "outbox": outbox_counts(event), "checkins": checkins_per_day(event), "survey": survey_summary(event),
    }
