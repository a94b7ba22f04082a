"""Registrations as CSV and XLSX, with the organiser's questions as columns."""

from flask_babel import gettext as _

from app.core.i18n import country_name
from app.registration.models import QuestionKind


def _answer_text(question, value) -> str:
    if value is None:
        return ""
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind == QuestionKind.COUNTRY:
        return country_name(value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def table(event, registrations, questions) -> tuple[list[str], list[list]]:
    headers = [
        _("First name"), _("Last name"), _("Email"), _("Organisation"), _("Job title"), _("Country"), _("Phone"),
        _("Status"), _("Waiting list position"), _("Registered"), _("Language"), _("Photo consent"), _("Future events consent"),
    ] + [question.label for question in questions]
    # What is the same for every row is looked up once: 5,000 rows spent more time in gettext
    # and country look-ups than in anything else. "Registered" stays a datetime: the spreadsheet
    # module writes it as a date-time cell (XLSX) or ISO 8601 (CSV) in the event's zone.
    yes, no = _("Yes"), _("No")
    countries: dict[str, str] = {}
    rows = []
    for registration in registrations:
        answers = {answer.question_id: answer.value for answer in registration.answers}
        if registration.country not in countries:
            countries[registration.country] = country_name(registration.country)
        created = registration.created_at or ""
        row = [
            registration.first_name, registration.last_name, registration.email, registration.organisation,
            registration.job_title, countries[registration.country], registration.phone, registration.status,
            registration.waitlist_position or "", created,
            registration.language, yes if registration.consent_photo_at else no,
            yes if registration.consent_future_events_at else no,
        ] + [_answer_text(question, answers.get(question.id)) for question in questions]
        rows.append(row)
    return headers, rows
