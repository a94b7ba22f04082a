"""Participants imported from a CSV file: read and checked first (a preview), then registered.

Nothing is written until every row is right; then every row goes through ``register``, so
an import obeys the capacity and the waiting list like any other registration.
"""

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.core.i18n import country_choices
from app.core.validators import has_control_characters
from app.events.models import Event
from app.extensions import db
from app.registration.errors import RegistrationError
from app.registration.models import Registration
from app.registration.services import Consents, Registrant, register

IMPORT_COLUMNS = ("first_name", "last_name", "email", "organisation", "job_title", "country", "phone", "language")
REQUIRED_COLUMNS = ("first_name", "last_name", "email")
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportRow:
    line: int
    registrant: Registrant
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    errors: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def ok(self) -> bool:
        return not self.errors and all(not row.errors for row in self.rows)


def _registrant(record: dict[str, str], event: Event) -> Registrant:
    return Registrant(
        first_name=record.get("first_name", ""), last_name=record.get("last_name", ""),
        email=record.get("email", "").lower(), organisation=record.get("organisation", ""),
        job_title=record.get("job_title", ""), country=record.get("country", "").upper(),
        phone=record.get("phone", ""), language=record.get("language", "") or event.language,
    )


def _row_errors(registrant: Registrant, countries: set[str]) -> list[str]:
    """What is wrong with one row on its own (duplicates are checked by the caller)."""
    errors = []
    for name in IMPORT_COLUMNS:
        value = getattr(registrant, name)
        if has_control_characters(value):
            errors.append(str(_l("%(column)s contains control characters.", column=name)))
        if len(value) > (254 if name == "email" else 200):
            errors.append(str(_l("%(column)s is too long.", column=name)))
    if not registrant.first_name or not registrant.last_name:
        errors.append(str(_l("First and last name are required.")))
    try:
        validate_email(registrant.email, check_deliverability=False)
    except EmailNotValidError:
        errors.append(str(_l("“%(email)s” is not a valid email address.", email=registrant.email)))
    if registrant.country and registrant.country not in countries:
        errors.append(str(_l("“%(code)s” is not a two-letter country code.", code=registrant.country)))
    if registrant.language not in ("hu", "en"):
        errors.append(str(_l("Language must be hu or en.")))
    return errors


def parse_import(event: Event, text: str) -> ImportPreview:
    """Read and check a CSV of participants; nothing is written."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    if missing:
        return ImportPreview([], [str(_l("The file needs the columns %(columns)s.", columns=", ".join(missing)))])
    countries = {code for code, _name in country_choices()}
    # One query for the whole file (not one per row, and never one with a row's raw text in it).
    registered = set(db.session.execute(db.select(Registration.email).filter_by(event_id=event.id)).scalars())
    seen: set[str] = set()
    rows: list[ImportRow] = []
    for line, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_IMPORT_ROWS:
            return ImportPreview(rows, [str(_l("A file may hold at most %(n)d rows.", n=MAX_IMPORT_ROWS))])
        record = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        registrant = _registrant(record, event)
        row = ImportRow(line, registrant, _row_errors(registrant, countries))
        if registrant.email in seen:
            row.errors.append(str(_l("This email appears twice in the file.")))
        elif registrant.email.strip().lower() in registered:
            row.errors.append(str(_l("Already registered for this event.")))
        seen.add(registrant.email)
        rows.append(row)
    if not rows:
        return ImportPreview([], [str(_l("The file has no participants in it."))])
    return ImportPreview(rows)


def apply_import(event: Event, preview: ImportPreview) -> list[Registration]:
    """Register every row, all or nothing; the organiser confirmed the participants' consent."""
    if not preview.ok:
        raise RegistrationError(_l("The file has errors; nothing was imported."))
    created = []
    for row in preview.rows:
        result = register(event, row.registrant, Consents(privacy=True), by_organiser=True)
        created.append(result.registration)
    audit.record("registration.import", event=event, count=len(created))
    return created
