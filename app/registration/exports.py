"""Registrations as CSV and XLSX, with the organiser's questions as columns."""

from flask_babel import gettext as _

from app.core import spreadsheets
from app.core.i18n import country_name, local_datetime
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
    rows = []
    for registration in registrations:
        answers = {answer.question_id: answer.value for answer in registration.answers}
        row = [
            registration.first_name, registration.last_name, registration.email, registration.organisation,
            registration.job_title, country_name(registration.country), registration.phone, registration.status,
            registration.waitlist_position or "", local_datetime(registration.created_at, event.timezone, "short"),
            registration.language, _("Yes") if registration.consent_photo_at else _("No"),
            _("Yes") if registration.consent_future_events_at else _("No"),
        ] + [_answer_text(question, answers.get(question.id)) for question in questions]
        rows.append(row)
    return headers, rows


def as_csv(headers, rows) -> bytes:
    return spreadsheets.csv_bytes(headers, rows)


def as_xlsx(headers, rows, title: str) -> bytes:
    return spreadsheets.xlsx_bytes(headers, rows, title)
