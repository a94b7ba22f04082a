"""Registrations as CSV and XLSX, with the organiser's questions as columns."""

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from app.core.i18n import country_name, local_datetime
from app.registration.models import QuestionKind

# A cell starting with one of these is a formula to Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell inert: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


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
        rows.append([neutralise(cell) for cell in row])
    return [neutralise(header) for header in headers], rows


def as_csv(headers, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    # The BOM makes Excel read the file as UTF-8, so accented names survive.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(headers, rows, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Registrations")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
