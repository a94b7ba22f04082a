"""Accounts: creating users, checking passwords, event teams."""

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import services as audit
from app.auth import sessions
from app.auth.models import EventMember, Role, User
from app.core.domain import DomainError
from app.core.models import utcnow
from app.extensions import db

MIN_PASSWORD_LENGTH = 10

# A hash to compare against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(DomainError):
    """A rule about accounts was broken; the message is fit to show to the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, and the browser's session key must be live."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not sessions.is_live(user):
        return None
    return user


def find_user(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def create_user(email: str, password: str, *, name: str = "", is_admin: bool = False) -> User:
    email = normalise_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(_l("This is not a valid email address.")) from None
    if find_user(email) is not None:
        raise AccountError(_l("A user with this email already exists."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH))
    user = User(email=email, name=name, is_admin=is_admin, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH))
    user.password_hash = generate_password_hash(password)
    user.session_version += 1  # every session ends (the user's own carries on only by starting a new one)
    user.password_reset_hash = None  # a reset link asked for before is no longer needed
    user.password_reset_expires_at = None
    sessions.end_all(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """The user's own change: only with the current password, and it logs out every other session."""
    if authenticate(user.email, current_password) is None:
        raise AccountError(_l("The current password is not right."), "current_password")
    set_password(user, new_password)


def log_in(user: User) -> None:
    """A successful login: a new live session, remembered as the last login."""
    sessions.start(user)
    record_login(user)


def log_out_everywhere_else(user: User) -> int:
    """Every other session of the user ends; this one carries on. The number ended."""
    return sessions.end_others(user)


def update_profile(user: User, *, name: str, locale: str) -> None:
    user.name = name.strip()
    set_locale(user, locale)


def set_locale(user: User, locale: str) -> None:
    """The interface language the user chose, kept for their next login."""
    user.locale = locale


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def make_first_organiser(event, user: User) -> EventMember:
    """The account that creates (or copies) an event becomes its first organiser."""
    member = EventMember(event_id=event.id, user_id=user.id, role=Role.ORGANISER)
    db.session.add(member)
    db.session.flush()
    return member


def add_team_member(event, email: str, role: str) -> EventMember:
    """Put an existing account on the event's team, or change its role there."""
    if not Role.has(role):
        raise AccountError(_l("Unknown role."), "role")
    user = find_user(email)
    if user is None:
        raise AccountError(_l("No account uses this email. Ask a site administrator to create one first."), "email")
    member = db.session.execute(
        db.select(EventMember).filter_by(event_id=event.id, user_id=user.id)
    ).scalar_one_or_none()
    if member is None:
        member = EventMember(event_id=event.id, user_id=user.id, role=role)
        db.session.add(member)
    else:
        member.role = role
    db.session.flush()
    audit.record("team.add", event=event, target=user.email, role=role)
    return member


def remove_team_member(event, member_id: int, acting_user) -> None:
    member = db.session.get(EventMember, member_id)
    if member is None or member.event_id != event.id:
        raise AccountError(_l("This person is not on the team."))
    organisers = [m for m in event.members if m.role == Role.ORGANISER]
    if member.role == Role.ORGANISER and len(organisers) == 1 and not acting_user.is_admin:
        raise AccountError(_l("An event needs at least one organiser."))
    audit.record("team.remove", event=event, target=member.user.email)
    db.session.delete(member)
    db.session.flush()
