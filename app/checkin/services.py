"""Check-in at the door: the only writer of check-ins.

One check-in per registration and event-local day, enforced by the unique key on
``(registration_id, day)``: concurrent scans of one badge insert inside a SAVEPOINT, and the
loser of the race reads the winner's record, so the door sees "already checked in", never
an error and never a second record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.auth.models import User
from app.badges.services import (
    ROLE_LABELS,
    BadgeRole,
    badge_role,
    display_name,
    find_by_secret,
    role_of,
    sort_key,
    speaker_registration_ids,
    team_roles_by_email,
)
from app.checkin.models import CheckIn
from app.core import i18n, spreadsheets
from app.core.domain import DomainError
from app.core.models import ChoiceEnum, utcnow
from app.core.text import fold
from app.core.timezones import event_days
from app.events.models import Event
from app.extensions import db
from app.registration.models import Registration, RegistrationStatus


class ScanState(ChoiceEnum):
    WELCOME = "welcome"  # green: checked in now
    ALREADY = "already"  # amber: checked in earlier today, no second record
    REFUSED = "refused"  # red: may not enter, with the reason


class Reason:
    UNKNOWN = "unknown"  # no such badge, or a badge that was replaced or revoked
    OTHER_EVENT = "other_event"
    NOT_EVENT_DAY = "not_event_day"  # the event does not run today (event-local): nothing is recorded
    CANCELLED = RegistrationStatus.CANCELLED
    DECLINED = RegistrationStatus.DECLINED
    WAITLISTED = RegistrationStatus.WAITLISTED
    PENDING = RegistrationStatus.PENDING


REFUSAL_TEXT = {
    Reason.UNKNOWN: _l("Not registered: this badge is unknown or no longer valid."),
    Reason.OTHER_EVENT: _l("This badge is for another event."),
    Reason.NOT_EVENT_DAY: _l("Today is not a day of this event: no check-in was recorded."),
    Reason.CANCELLED: _l("Cancelled: this registration was cancelled."),
    Reason.DECLINED: _l("Declined: this registration was not accepted."),
    Reason.WAITLISTED: _l("Waiting list: this person has no confirmed seat."),
    Reason.PENDING: _l("Not approved yet: this registration is waiting for the organiser."),
}




class CheckInError(DomainError):
    pass


@dataclass
class ScanResult:
    state: str
    reason: str | None = None
    person: dict | None = None
    checkin: dict | None = None
    day: date | None = None
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        if self.state == ScanState.WELCOME:
            return _("Welcome")
        if self.state == ScanState.ALREADY:
            return _("Already checked in")
        return _("Do not admit")

    @property
    def message(self) -> str:
        if self.state == ScanState.WELCOME and self.person is not None:
            return _("Checked in: %(name)s.", name=self.person["name"])
        if self.state == ScanState.ALREADY and self.checkin is not None:
            return _(
                "Already checked in at %(time)s by %(staff)s. No second record was made.",
                time=self.checkin["time"], staff=self.checkin["by"] or _("unknown"),
            )
        return str(REFUSAL_TEXT[self.reason or Reason.UNKNOWN])

    def as_json(self) -> dict:
        return {
            "state": self.state,
            "reason": self.reason,
            "title": self.title,
            "message": self.message,
            "person": self.person,
            "checkin": self.checkin,
            "day": self.day.isoformat() if self.day else None,
        }


def today(event: Event, now: datetime | None = None) -> date:
    """The event-local date: the day a check-in counts for."""
    return (now or utcnow()).astimezone(event.tz).date()


def is_event_day(event: Event, day: date) -> bool:
    return day in event_days(event.starts_at, event.ends_at, event.timezone)


def refusal_reason(event: Event, registration: Registration, day: date) -> str | None:
    """The one rule for who may be checked in on a day: why not (a ``Reason`` or the registration's
    status), or None. The scan, the search's button and its check-in all ask here."""
    if not registration.is_confirmed:
        return registration.status
    if not is_event_day(event, day):
        # A check-in on another day would add a column to attendance and a page to the sign-in sheets.
        return Reason.NOT_EVENT_DAY
    return None


def refusal(event: Event, registration: Registration, day: date) -> str | None:
    """The words for ``refusal_reason``, or None when the person may be checked in."""
    reason = refusal_reason(event, registration, day)
    return None if reason is None else str(REFUSAL_TEXT[reason])


def person_data(event: Event, registration: Registration, role: BadgeRole | None = None) -> dict:
    """What the door sees: display data only, never contact details.

    ``role`` when the caller has looked the badge roles up for a whole list (the search).
    """
    role = role or badge_role(registration)
    return {
        "id": registration.id,
        "name": display_name(registration.first_name, registration.last_name, registration.country),
        "organisation": registration.organisation,
        "country": i18n.country_name(registration.country),
        "role": role,
        "role_label": str(ROLE_LABELS[role]),
        "status": registration.status,
    }


def checkin_data(event: Event, checkin: CheckIn) -> dict:
    by = checkin.checked_in_by
    return {
        "id": checkin.id,
        "at": checkin.checked_in_at.isoformat(),
        "time": i18n.local_time(checkin.checked_in_at, event.timezone),
        "by": by.display_name if by else "",
    }


def find_checkin(registration_id: int, day: date) -> CheckIn | None:
    return db.session.execute(
        db.select(CheckIn).filter_by(registration_id=registration_id, day=day)
    ).scalar_one_or_none()


def admit(event: Event, registration: Registration | None, *, by: User | None, now: datetime | None = None) -> ScanResult:
    """Check a registration in for today, once; or say why not."""
    if registration is None or registration.erased_at is not None:
        return ScanResult(ScanState.REFUSED, Reason.UNKNOWN)
    if registration.event_id != event.id:
        # Nothing about the person or the other event leaves this function.
        return ScanResult(ScanState.REFUSED, Reason.OTHER_EVENT)
    person = person_data(event, registration)
    now = now or utcnow()
    day = today(event, now)
    reason = refusal_reason(event, registration, day)
    if reason is not None:
        return ScanResult(ScanState.REFUSED, reason, person=person, day=day if reason == Reason.NOT_EVENT_DAY else None)
    existing = find_checkin(registration.id, day)
    if existing is not None:
        return ScanResult(ScanState.ALREADY, person=person, checkin=checkin_data(event, existing), day=day)
    checkin = CheckIn(
        event_id=event.id, registration_id=registration.id, day=day, checked_in_at=now,
        checked_in_by_id=by.id if by is not None else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(checkin)
            db.session.flush()
    except IntegrityError:
        # Another scanner won the race for this badge: theirs is the one record.
        existing = find_checkin(registration.id, day)
        if existing is None:
            raise
        return ScanResult(ScanState.ALREADY, person=person, checkin=checkin_data(event, existing), day=day)
    audit.record("checkin", event=event, target=f"registration:{registration.id}", user=by, day=day.isoformat())
    return ScanResult(ScanState.WELCOME, person=person, checkin=checkin_data(event, checkin), day=day)


def scan(event: Event, code: str | None, *, by: User | None, now: datetime | None = None) -> ScanResult:
    """What the door does with a scanned or typed code: the bare secret or the whole QR URL."""
    return admit(event, find_by_secret(code), by=by, now=now)


def check_in_registration(event: Event, registration_id: int, *, by: User | None, now: datetime | None = None) -> ScanResult:
    """One-tap check-in from the search results."""
    registration = db.session.get(Registration, registration_id)
    if registration is not None and registration.event_id != event.id:
        registration = None  # an id from another event is simply unknown here
    return admit(event, registration, by=by, now=now)


def undo(event: Event, checkin_id: int, *, by: User | None) -> Registration:
    """Take back a check-in made by mistake (the staff page's "Undo")."""
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None or checkin.event_id != event.id:
        raise CheckInError(_l("There is no such check-in to undo."))
    registration = checkin.registration
    audit.record("checkin.undone", event=event, target=f"registration:{checkin.registration_id}", user=by,
                 day=checkin.day.isoformat())
    db.session.delete(checkin)
    db.session.flush()
    return registration


def expected_count(event: Event) -> int:
    return db.session.execute(
        db.select(sa.func.count(Registration.id)).filter(Registration.event_id == event.id, Registration.may_attend)
    ).scalar_one()


def checkins_per_day(event: Event) -> list[tuple[date, int]]:
    """(event day, people checked in that day) for every day of the event, and any other day with check-ins."""
    rows = dict(db.session.execute(
        db.select(CheckIn.day, sa.func.count(CheckIn.id)).where(CheckIn.event_id == event.id).group_by(CheckIn.day)
    ).all())
    days = sorted(set(event_days(event.starts_at, event.ends_at, event.timezone)) | set(rows))
    return [(day, rows.get(day, 0)) for day in days]


def counters(event: Event, day: date) -> dict:
    checked_in = db.session.execute(
        db.select(sa.func.count(CheckIn.id)).filter(CheckIn.event_id == event.id, CheckIn.day == day)
    ).scalar_one()
    return {"day": day.isoformat(), "checked_in": checked_in, "expected": expected_count(event)}


def search(event: Event, query: str, day: date, limit: int = 20) -> list[dict]:
    """Registrations of this event whose name, organisation or email contain every word typed,
    accents and case ignored (``kovacs`` finds Kovács, ``sondergaard`` Søndergaard), words in any order.

    Folded in Python (``app.core.text.fold``), so SQLite and PostgreSQL answer alike without an
    extension: one query reads the four columns of the event's registrations, a few thousand at most.
    Each result says the person's status and whether the door may check them in today.
    """
    words = [fold(word) for word in (query or "").split()[:5]]
    words = [word for word in words if word]
    if not words or sum(len(word) for word in words) < 2:
        return []
    rows = db.session.execute(
        db.select(Registration.id, Registration.first_name, Registration.last_name, Registration.organisation,
                  Registration.email)
        .filter(Registration.event_id == event.id, Registration.erased_at.is_(None))
    ).all()
    found = []
    for row in rows:
        haystack = "\n".join(fold(value) for value in (row.first_name, row.last_name, row.organisation, row.email))
        if all(word in haystack for word in words):
            found.append(row)
    found.sort(key=lambda row: (*sort_key(row.last_name, row.first_name), row.id))
    ids = [row.id for row in found[:limit]]
    if not ids:
        return []
    by_id = {r.id: r for r in db.session.execute(db.select(Registration).filter(Registration.id.in_(ids))).scalars()}
    checked = {
        c.registration_id: c
        for c in db.session.execute(db.select(CheckIn).filter(CheckIn.day == day, CheckIn.registration_id.in_(ids))).scalars()
    }
    # Roles for the whole list in two queries, not two per person found.
    speakers, team = speaker_registration_ids(event), team_roles_by_email(event)
    results = []
    for registration_id in ids:
        registration = by_id[registration_id]
        item = person_data(event, registration, role_of(registration, speakers, team))
        checkin = checked.get(registration.id)
        item["status_label"] = registration.status_label
        item["checked_in_at"] = i18n.local_time(checkin.checked_in_at, event.timezone) if checkin else None
        item["refusal"] = refusal(event, registration, day)
        item["may_check_in"] = checkin is None and item["refusal"] is None
        results.append(item)
    return results


@dataclass
class Attendance:
    days: list[date]
    rows: list[tuple[Registration, dict[date, CheckIn]]]

    def total(self, day: date) -> int:
        return sum(1 for _registration, checkins in self.rows if day in checkins)


def attendance(event: Event) -> Attendance:
    """Participants by event day: every confirmed registration, and anyone who was checked in."""
    checkins = list(db.session.execute(db.select(CheckIn).filter_by(event_id=event.id)).scalars())
    days = sorted(set(event_days(event.starts_at, event.ends_at, event.timezone)) | {c.day for c in checkins})
    by_registration: dict[int, dict[date, CheckIn]] = {}
    for checkin in checkins:
        by_registration.setdefault(checkin.registration_id, {})[checkin.day] = checkin
    registrations = list(db.session.execute(
        db.select(Registration).filter(
            Registration.event_id == event.id,
            Registration.erased_at.is_(None),
            sa.or_(Registration.may_attend, Registration.id.in_(list(by_registration) or [0])),
        )
    ).scalars())
    registrations.sort(key=lambda r: sort_key(r.last_name, r.first_name))
    return Attendance(days, [(r, by_registration.get(r.id, {})) for r in registrations])


def attendance_csv(event: Event) -> str:
    data = attendance(event)
    headers = ([_("Last name"), _("First name"), _("Organisation"), _("Country"), _("Status")]
               + [day.isoformat() for day in data.days] + [_("Days attended")])
    rows = [
        [registration.last_name, registration.first_name, registration.organisation,
         i18n.country_name(registration.country), registration.status_label]
        + [checkins[day].checked_in_at if day in checkins else "" for day in data.days]
        + [len(checkins)]
        for registration, checkins in data.rows
    ]
    return spreadsheets.csv_text(headers, rows, event.timezone)  # check-in moments as ISO 8601
