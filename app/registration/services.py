"""The rules of registration: the only code that writes registrations and answers.

The public form, the organiser's "add participant", the CSV import and the demo loader
all call ``register``; every state change goes through a function here, which also queues
the email that tells the participant.
"""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.agenda import services as agenda
from app.audit import services as audit
from app.badges import services as badges
from app.core.database import lock_row
from app.core.domain import DomainError
from app.core.models import ChoiceEnum, utcnow
from app.core.tokens import derived_token, hash_token, new_nonce, new_token
from app.events.models import Event, EventStatus
from app.extensions import db
from app.registration import emails
from app.registration.models import Answer, Question, QuestionKind, Registration, RegistrationStatus

MANAGE_LINK_PURPOSE = "manage-link"


class WindowState(ChoiceEnum):
    OPEN = "open"
    WAITLIST = "waitlist"  # full, but the waiting list takes names
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


@dataclass(frozen=True)
class RegistrationWindow:
    state: str
    seats_left: int | None  # None: unlimited
    capacity: int | None
    opens_at: datetime | None = None

    @property
    def accepting(self) -> bool:
        return self.state in (WindowState.OPEN, WindowState.WAITLIST)


class RegistrationError(DomainError):
    pass


class RegistrationClosed(RegistrationError):
    pass


class AlreadyRegistered(RegistrationError):
    def __init__(self, registration: Registration):
        super().__init__(_l("This email address is already registered for the event."), "email")
        self.registration = registration


class NoSeatFree(RegistrationError):
    pass


@dataclass
class Registrant:
    first_name: str
    last_name: str
    email: str
    organisation: str = ""
    job_title: str = ""
    country: str = ""
    phone: str = ""
    language: str = "en"


@dataclass
class Consents:
    privacy: bool
    photo: bool = False
    future_events: bool = False


@dataclass
class RegistrationResult:
    registration: Registration
    token: str
    created: bool = True
    promoted: list[Registration] = field(default_factory=list)
    refused_sessions: list[str] = field(default_factory=list)


# Reading ---------------------------------------------------------------------------------

def confirmed_count(event: Event) -> int:
    return db.session.execute(
        db.select(sa.func.count(Registration.id)).filter_by(event_id=event.id, status=RegistrationStatus.CONFIRMED)
    ).scalar_one()


def _closed_or_not_yet_open(event: Event, now: datetime) -> str | None:
    """The window rules that do not count seats: published, open already, not closed, not over."""
    closes_at = event.registration_closes_at or event.starts_at
    if event.status != EventStatus.PUBLISHED or now >= closes_at or now >= event.ends_at:
        return WindowState.CLOSED
    if event.registration_opens_at and now < event.registration_opens_at:
        return WindowState.NOT_YET_OPEN
    return None


def registration_window(event: Event, now: datetime | None = None) -> RegistrationWindow:
    """Whether the event takes registrations now, and how many seats are left."""
    now = now or utcnow()
    taken = confirmed_count(event) if event.capacity is not None else 0
    seats_left = max(event.capacity - taken, 0) if event.capacity is not None else None
    state = _closed_or_not_yet_open(event, now)
    if state is not None:
        return RegistrationWindow(state, seats_left, event.capacity, event.registration_opens_at)
    if seats_left == 0:
        return RegistrationWindow(WindowState.WAITLIST, 0, event.capacity)
    return RegistrationWindow(WindowState.OPEN, seats_left, event.capacity)


def takes_registrations(event: Event, now: datetime) -> bool:
    """Whether registrations are taken now, without counting seats (a full event takes waiting-list places)."""
    return _closed_or_not_yet_open(event, now) is None


def _seats_and_queue(event: Event) -> tuple[int, int]:
    """Confirmed seats and the last waiting-list position, in one query."""
    confirmed, last_position = db.session.execute(
        db.select(
            sa.func.count(Registration.id).filter(Registration.status == RegistrationStatus.CONFIRMED),
            sa.func.max(Registration.waitlist_position).filter(Registration.status == RegistrationStatus.WAITLISTED),
        ).where(Registration.event_id == event.id)
    ).one()
    return confirmed, last_position or 0


def counts_by_status(event: Event) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Registration.status, sa.func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    counts = dict.fromkeys(RegistrationStatus, 0)
    counts.update(dict(rows))
    return counts


def manage_token(registration: Registration) -> str:
    return derived_token(current_app.config["SECRET_KEY"], MANAGE_LINK_PURPOSE, registration.manage_token_nonce)


def get_by_token(token: str) -> Registration | None:
    """The registration a private manage link opens, or None (malformed, unknown or erased)."""
    if not token or len(token) > 100:
        return None
    registration = db.session.execute(
        db.select(Registration).filter_by(manage_token_hash=hash_token(token))
    ).scalar_one_or_none()
    if registration is None or registration.erased_at is not None:
        return None
    return registration


def find_by_email(event: Event, email: str) -> Registration | None:
    return db.session.execute(
        db.select(Registration).filter_by(event_id=event.id, email=email.strip().lower())
    ).scalar_one_or_none()


def active_questions(event: Event) -> list[Question]:
    return list(
        db.session.execute(
            db.select(Question).filter_by(event_id=event.id, retired=False).order_by(Question.position, Question.id)
        ).scalars()
    )


def all_questions(event: Event) -> list[Question]:
    """Retired questions too: their answers still belong in lists and exports."""
    return list(
        db.session.execute(db.select(Question).filter_by(event_id=event.id).order_by(Question.position, Question.id)).scalars()
    )


def waitlist(event: Event) -> list[Registration]:
    return list(
        db.session.execute(
            db.select(Registration)
            .filter_by(event_id=event.id, status=RegistrationStatus.WAITLISTED)
            .order_by(Registration.waitlist_position, Registration.id)
        ).scalars()
    )


# Writing ---------------------------------------------------------------------------------

def _set_status(registration: Registration, status: str, now: datetime | None = None) -> None:
    registration.status = status
    registration.status_changed_at = now or utcnow()
    # A badge opens the door only for a confirmed registration.
    if status == RegistrationStatus.CONFIRMED:
        registration.waitlist_position = None
        if registration.badge_secret is None:
            badges.issue_badge_secret(registration)
    else:
        if status != RegistrationStatus.WAITLISTED:
            registration.waitlist_position = None
        if registration.badge_secret is not None:
            badges.revoke_badge(registration)


def _close_waitlist_gaps(event: Event) -> None:
    for position, registration in enumerate(waitlist(event), start=1):
        registration.waitlist_position = position


def _seat_or_queue(registration: Registration, event: Event, now: datetime | None = None) -> None:
    """A free seat if there is one, otherwise the end of the waiting list (event row locked)."""
    confirmed, last_position = _seats_and_queue(event)
    if event.capacity is None or confirmed < event.capacity:
        _set_status(registration, RegistrationStatus.CONFIRMED, now)
    else:
        _set_status(registration, RegistrationStatus.WAITLISTED, now)
        registration.waitlist_position = last_position + 1


def _seat_free(event: Event) -> bool:
    return event.capacity is None or confirmed_count(event) < event.capacity


def _save_answers(registration: Registration, answers: dict[int, object]) -> None:
    existing = {answer.question_id: answer for answer in registration.answers}
    for question_id, value in answers.items():
        empty = value in (None, "", [])
        if question_id in existing:
            if empty:
                registration.answers.remove(existing[question_id])
            else:
                existing[question_id].value = value
        elif not empty:
            registration.answers.append(Answer(question_id=question_id, value=value))


def check_answers(event: Event, answers: dict[int, object], questions: list[Question] | None = None) -> list[RegistrationError]:
    """What the form layer cannot know: that choices and required answers fit the questions."""
    errors = []
    for question in active_questions(event) if questions is None else questions:
        value = answers.get(question.id)
        field_name = f"q_{question.id}"
        if question.required and value in (None, "", []):
            errors.append(RegistrationError(_l("Please answer this question."), field_name))
        elif question.kind == QuestionKind.SINGLE_CHOICE and value and value not in question.choices:
            errors.append(RegistrationError(_l("Choose one of the options."), field_name))
        elif question.kind == QuestionKind.MULTIPLE_CHOICE and value and not set(value) <= set(question.choices):
            errors.append(RegistrationError(_l("Choose among the options."), field_name))
    return errors


def register(
    event: Event,
    registrant: Registrant,
    consents: Consents,
    *,
    answers: dict[int, object] | None = None,
    questions: list[Question] | None = None,
    session_ids: list[int] | None = None,
    by_organiser: bool = False,
    lock: bool = True,
    send_email: bool = True,
    now: datetime | None = None,
) -> RegistrationResult:
    """Register someone for an event.

    The event row is locked before seats are counted, so concurrent registrations can
    never take more seats than the capacity: the rest join the waiting list in order.
    ``by_organiser`` lets an organiser add someone outside the registration window and
    without approval, but never past the capacity. ``lock=False`` exists only for the test
    that shows the race happens without the lock.
    """
    now = now or utcnow()
    # Everything that does not depend on the seats is checked before the lock, to hold it briefly.
    if not by_organiser and not takes_registrations(event, now):
        raise RegistrationClosed(_l("Registration for this event is closed."))
    if not consents.privacy:
        raise RegistrationError(_l("Please agree to the privacy notice to register."), "privacy_consent")
    answers = answers or {}
    errors = check_answers(event, answers, questions)
    if errors:
        raise errors[0]
    email = registrant.email.strip().lower()
    if lock:
        event = lock_row(Event, event.id)
    # Checked under the lock: two simultaneous attempts with one address cannot both pass.
    existing = find_by_email(event, email)
    if existing is not None:
        raise AlreadyRegistered(existing)

    nonce = new_nonce()
    registration = Registration(
        event_id=event.id,
        first_name=registrant.first_name.strip(),
        last_name=registrant.last_name.strip(),
        email=email,
        organisation=registrant.organisation.strip(),
        job_title=registrant.job_title.strip(),
        country=registrant.country.strip().upper(),
        phone=registrant.phone.strip(),
        language=registrant.language,
        manage_token_nonce=nonce,
        manage_token_hash=hash_token(derived_token(current_app.config["SECRET_KEY"], MANAGE_LINK_PURPOSE, nonce)),
        consent_privacy_at=now,
        consent_privacy_version=event.privacy_notice_version,
        consent_photo_at=now if consents.photo else None,
        consent_future_events_at=now if consents.future_events else None,
    )
    registration.answers = [
        Answer(question_id=question_id, value=value) for question_id, value in answers.items() if value not in (None, "", [])
    ]
    if event.requires_approval and not by_organiser:
        _set_status(registration, RegistrationStatus.PENDING, now)
    else:
        _seat_or_queue(registration, event, now)
    db.session.add(registration)
    db.session.flush()
    refused = []
    if session_ids and registration.status == RegistrationStatus.CONFIRMED:
        # Workshops and expert consultations chosen on the form: seats only for confirmed participants.
        refused = [str(error.message) for error in agenda.sign_up_many(registration, session_ids)]
    if by_organiser:
        audit.record("registration.add", event=event, target=f"registration:{registration.id}", status=registration.status)
    if send_email:
        emails.status_email(registration, event, with_sessions=bool(session_ids), refused_sessions=refused)
    return RegistrationResult(registration, manage_token(registration), refused_sessions=refused)


def resend_link(registration: Registration) -> None:
    """Someone registered again with the same address: email them the link instead."""
    event = db.session.get(Event, registration.event_id)
    emails.link_reminder(registration, event)


def update_details(registration: Registration, registrant: Registrant, answers: dict[int, object]) -> None:
    event = db.session.get(Event, registration.event_id)
    errors = check_answers(event, answers)
    if errors:
        raise ExceptionGroup("invalid answers", errors)
    email = registrant.email.strip().lower()
    if email != registration.email:
        other = find_by_email(event, email)
        if other is not None:
            raise ExceptionGroup("invalid", [RegistrationError(_l("This email address cannot be used here."), "email")])
    registration.first_name = registrant.first_name.strip()
    registration.last_name = registrant.last_name.strip()
    registration.email = email
    registration.organisation = registrant.organisation.strip()
    registration.job_title = registrant.job_title.strip()
    registration.country = registrant.country.strip().upper()
    registration.phone = registrant.phone.strip()
    _save_answers(registration, answers)
    db.session.flush()


def set_optional_consents(registration: Registration, photo: bool, future_events: bool, public_list: bool = False) -> None:
    now = utcnow()
    registration.consent_photo_at = (registration.consent_photo_at or now) if photo else None
    registration.consent_future_events_at = (registration.consent_future_events_at or now) if future_events else None
    registration.consent_public_list_at = (registration.consent_public_list_at or now) if public_list else None
    db.session.flush()


def fill_free_seats(event: Event) -> list[Registration]:
    """Promote from the waiting list, first come first served, while seats are free.

    Call with the event row locked (every caller here does)."""
    promoted = []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - confirmed_count(event)
    for registration in waitlist(event):
        if free is not None and free <= 0:
            break
        _set_status(registration, RegistrationStatus.CONFIRMED)
        emails.promoted(registration, event)
        promoted.append(registration)
        if free is not None:
            free -= 1
    if promoted:
        _close_waitlist_gaps(event)
        db.session.flush()
    return promoted


def _locked_event(registration: Registration) -> Event:
    return lock_row(Event, registration.event_id)


def cancel(registration: Registration, *, by_organiser: bool = False) -> list[Registration]:
    """Cancel a registration (or leave the waiting list); a freed seat goes to the waiting list."""
    event = _locked_event(registration)
    db.session.refresh(registration)
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise RegistrationError(_l("This registration is no longer active."))
    was_waitlisted = registration.status == RegistrationStatus.WAITLISTED
    _set_status(registration, RegistrationStatus.CANCELLED)
    agenda.release_sign_ups(registration)
    db.session.flush()
    if by_organiser:
        audit.record("registration.cancel", event=event, target=f"registration:{registration.id}")
    emails.cancelled(registration, event)
    if was_waitlisted:
        _close_waitlist_gaps(event)
        db.session.flush()
        return []
    return fill_free_seats(event)


def approve(registration: Registration, *, notify: bool = True) -> None:
    """Approve a pending registration: a seat if one is free, otherwise the waiting list."""
    event = _locked_event(registration)
    db.session.refresh(registration)
    if registration.status != RegistrationStatus.PENDING:
        raise RegistrationError(_l("Only registrations awaiting approval can be approved."))
    _seat_or_queue(registration, event)
    db.session.flush()
    audit.record("registration.approve", event=event, target=f"registration:{registration.id}", status=registration.status)
    if notify:
        emails.status_email(registration, event)


def decline(registration: Registration) -> list[Registration]:
    event = _locked_event(registration)
    db.session.refresh(registration)
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED):
        raise RegistrationError(_l("This registration is no longer active."))
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    _set_status(registration, RegistrationStatus.DECLINED)
    agenda.release_sign_ups(registration)
    db.session.flush()
    audit.record("registration.decline", event=event, target=f"registration:{registration.id}")
    emails.declined(registration, event)
    _close_waitlist_gaps(event)
    db.session.flush()
    return fill_free_seats(event) if held_seat else []


def promote(registration: Registration) -> None:
    """The organiser gives a waiting-list place a seat; refused when no seat is free."""
    event = _locked_event(registration)
    db.session.refresh(registration)
    if registration.status not in (RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING):
        raise RegistrationError(_l("Only waiting or pending registrations can be promoted."))
    if not _seat_free(event):
        raise NoSeatFree(_l("No seat is free. Raise the capacity or wait for a cancellation."))
    _set_status(registration, RegistrationStatus.CONFIRMED)
    _close_waitlist_gaps(event)
    db.session.flush()
    audit.record("registration.promote", event=event, target=f"registration:{registration.id}")
    emails.promoted(registration, event)


def move_on_waitlist(registration: Registration, new_position: int) -> None:
    event = _locked_event(registration)
    db.session.refresh(registration)
    if registration.status != RegistrationStatus.WAITLISTED:
        raise RegistrationError(_l("Only waiting-list places can be moved."))
    queue = [r for r in waitlist(event) if r.id != registration.id]
    new_position = max(1, min(new_position, len(queue) + 1))
    queue.insert(new_position - 1, registration)
    for position, item in enumerate(queue, start=1):
        item.waitlist_position = position
    db.session.flush()
    audit.record("registration.move", event=event, target=f"registration:{registration.id}", position=new_position)


def capacity_changed(event: Event) -> list[Registration]:
    """After the organiser raised the capacity (or removed it), give the new seats away."""
    event = lock_row(Event, event.id)
    return fill_free_seats(event)


def personal_data(registration: Registration, event: Event) -> dict:
    """The participant's data export: their details, answers, consents and history."""
    questions = {question.id: question for question in all_questions(event)}

    def stamp(moment):
        return moment.isoformat() if moment else None

    return {
        "event": {"title": event.title, "slug": event.slug, "starts_at": stamp(event.starts_at), "ends_at": stamp(event.ends_at)},
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
            "registered_at": stamp(registration.created_at),
            "status_changed_at": stamp(registration.status_changed_at),
        },
        "answers": [
            {"question": questions[answer.question_id].label, "answer": answer.value}
            for answer in registration.answers
            if answer.question_id in questions
        ],
        "consents": {
            "privacy_notice": {"agreed_at": stamp(registration.consent_privacy_at), "version": registration.consent_privacy_version},
            "photos": stamp(registration.consent_photo_at),
            "future_events": stamp(registration.consent_future_events_at),
            "public_participant_list": stamp(registration.consent_public_list_at),
        },
    }


# CSV import ------------------------------------------------------------------------------

IMPORT_COLUMNS = ("first_name", "last_name", "email", "organisation", "job_title", "country", "phone", "language")
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


def parse_import(event: Event, text: str) -> ImportPreview:
    """Read and check a CSV of participants; nothing is written."""
    import csv
    import io

    from email_validator import EmailNotValidError, validate_email

    from app.core.i18n import country_choices
    from app.core.validators import has_control_characters

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in ("first_name", "last_name", "email") if name not in headers]
    if missing:
        return ImportPreview([], [str(_l("The file needs the columns %(columns)s.", columns=", ".join(missing)))])
    countries = {code for code, _name in country_choices()}
    seen: set[str] = set()
    rows = []
    for line, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_IMPORT_ROWS:
            return ImportPreview(rows, [str(_l("A file may hold at most %(n)d rows.", n=MAX_IMPORT_ROWS))])
        record = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        registrant = Registrant(
            first_name=record.get("first_name", ""), last_name=record.get("last_name", ""),
            email=record.get("email", "").lower(), organisation=record.get("organisation", ""),
            job_title=record.get("job_title", ""), country=record.get("country", "").upper(),
            phone=record.get("phone", ""), language=record.get("language", "") or event.language,
        )
        row = ImportRow(line, registrant)
        for name in IMPORT_COLUMNS:
            value = getattr(registrant, name)
            if has_control_characters(value):
                row.errors.append(str(_l("%(column)s contains control characters.", column=name)))
            if len(value) > (254 if name == "email" else 200):
                row.errors.append(str(_l("%(column)s is too long.", column=name)))
        if not registrant.first_name or not registrant.last_name:
            row.errors.append(str(_l("First and last name are required.")))
        try:
            validate_email(registrant.email, check_deliverability=False)
        except EmailNotValidError:
            row.errors.append(str(_l("“%(email)s” is not a valid email address.", email=registrant.email)))
        if registrant.country and registrant.country not in countries:
            row.errors.append(str(_l("“%(code)s” is not a two-letter country code.", code=registrant.country)))
        if registrant.language not in ("hu", "en"):
            row.errors.append(str(_l("Language must be hu or en.")))
        if registrant.email in seen:
            row.errors.append(str(_l("This email appears twice in the file.")))
        elif find_by_email(event, registrant.email) is not None:
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


def search(event: Event, query: str = "", status: str = "") -> list[Registration]:
    """The organiser's list: search by name, email or organisation, filter by state."""
    from sqlalchemy.orm import selectinload

    statement = (
        db.select(Registration).filter_by(event_id=event.id).where(Registration.erased_at.is_(None))
        .options(selectinload(Registration.answers))
    )
    if RegistrationStatus.has(status):
        statement = statement.filter_by(status=status)
    if query:
        pattern = f"%{query.strip().lower()}%"
        full_name = sa.func.lower(Registration.first_name + " " + Registration.last_name)
        reversed_name = sa.func.lower(Registration.last_name + " " + Registration.first_name)
        statement = statement.where(sa.or_(
            full_name.like(pattern), reversed_name.like(pattern), Registration.email.like(pattern),
            sa.func.lower(Registration.organisation).like(pattern),
        ))
    statement = statement.order_by(
        sa.case((Registration.status == RegistrationStatus.WAITLISTED, 1), else_=0),
        Registration.waitlist_position, Registration.last_name, Registration.first_name,
    )
    return list(db.session.execute(statement).scalars())


# Questions -------------------------------------------------------------------------------

def save_question(event: Event, question: Question | None, values: dict) -> Question:
    kind = values["kind"]
    choices = [line.strip() for line in (values.get("choices") or "").splitlines() if line.strip()]
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and len(choices) < 2:
        raise RegistrationError(_l("A choice question needs at least two options, one per line."), "choices")
    if len(set(choices)) != len(choices):
        raise RegistrationError(_l("Each option must be different."), "choices")
    if question is None:
        question = Question(event_id=event.id)
        db.session.add(question)
    question.kind = kind
    question.label = values["label"].strip()
    question.help_text = (values.get("help_text") or "").strip()
    question.required = bool(values.get("required"))
    question.position = values.get("position") or 0
    question.choices = choices if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) else []
    db.session.flush()
    audit.record("question.save", event=event, target=question.label)
    return question


def delete_question(event: Event, question: Question) -> bool:
    """Delete a question, or retire it when answers exist so that none is lost. True if deleted."""
    has_answers = db.session.execute(db.select(Answer.id).filter_by(question_id=question.id).limit(1)).first() is not None
    audit.record("question.delete", event=event, target=question.label, retired=has_answers)
    if has_answers:
        question.retired = True
        db.session.flush()
        return False
    db.session.delete(question)
    db.session.flush()
    return True


def restore_question(question: Question) -> None:
    question.retired = False
    db.session.flush()


def send_message(event: Event, audience: str, subject: str, body: str) -> int:
    """The organiser's message to a filtered set of participants, one outbox entry each."""
    from app.mail.services import queue_templated

    statuses = {
        "all_active": (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING),
    }.get(audience, (audience,))
    recipients = db.session.execute(
        db.select(Registration).where(Registration.event_id == event.id, Registration.status.in_(statuses),
                                      Registration.erased_at.is_(None))
    ).scalars().all()
    for registration in recipients:
        queue_templated("message", kind="organiser_message", recipient=registration.email, subject=subject,
                        language=registration.language, context={"body": body}, event=event, registration=registration)
    audit.record("mail.message", event=event, target=subject, audience=audience, count=len(recipients))
    return len(recipients)


def registrations_per_day(event: Event) -> list[tuple]:
    """How many registered on each day (event's time zone), first day to last, gaps as zero."""
    from datetime import timedelta

    moments = db.session.execute(db.select(Registration.created_at).where(Registration.event_id == event.id)).scalars().all()
    if not moments:
        return []
    days: dict = {}
    for moment in moments:
        day = event.local(moment).date()
        days[day] = days.get(day, 0) + 1
    first, last = min(days), max(days)
    span = (last - first).days
    return [(first + timedelta(days=offset), days.get(first + timedelta(days=offset), 0)) for offset in range(span + 1)]


def copy_questions(source: Event, target: Event) -> None:
    """Copy the questions still in use (not retired) of ``source`` into ``target`` (cloning an event)."""
    fields = ("kind", "label", "help_text", "required", "position", "choices")
    for question in db.session.execute(db.select(Question).filter_by(event_id=source.id, retired=False)).scalars():
        db.session.add(Question(event_id=target.id, **{name: getattr(question, name) for name in fields}))
    db.session.flush()


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
