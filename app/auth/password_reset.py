"""Forgotten passwords: a single-use link by email, valid for an hour, stored only as a hash."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.auth import services as accounts
from app.auth.models import User
from app.core.database import lock_row
from app.core.models import utcnow
from app.core.tokens import hash_token, new_token
from app.core.urls import external_url
from app.extensions import db
from app.mail.services import queue_templated

RESET_LIFETIME = timedelta(hours=1)
# However often it is asked for, an address receives at most one reset email in this time.
RESEND_AFTER = timedelta(minutes=2)


class ResetLinkInvalid(accounts.AccountError):
    """The link is unknown, used already, or expired."""


def issue_token(user: User) -> str:
    """A new reset token for ``user`` (the one before stops working); only its hash is stored."""
    token = new_token()
    user.password_reset_hash = hash_token(token)
    user.password_reset_expires_at = utcnow() + RESET_LIFETIME
    db.session.flush()
    return token


def request_reset(email: str) -> None:
    """Email a reset link if an active account uses ``email``; the caller answers the same either way."""
    user = accounts.find_user(email)
    if user is None or not user.is_active:
        return
    now = utcnow()
    expires = user.password_reset_expires_at
    if expires is not None and expires - RESET_LIFETIME > now - RESEND_AFTER:
        return  # one was sent moments ago: no flood of emails to someone else's address
    token = issue_token(user)
    language = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    queue_templated(
        "password_reset", kind="password_reset", recipient=user.email,
        subject=_l("Set a new password for Masterclass"), language=language,
        context={"user": user, "link": external_url("auth.reset_password", token=token),
                 "minutes": int(RESET_LIFETIME.total_seconds() // 60)},
    )
    audit.record("account.reset_requested", target=user.email)


def user_for_token(token: str) -> User | None:
    """The account a reset link is for, while the link is valid."""
    if not token or len(token) > 100:
        return None
    user = db.session.execute(
        sa.select(User).filter_by(password_reset_hash=hash_token(token))
    ).scalar_one_or_none()
    if user is None or not user.is_active or user.password_reset_expires_at is None:
        return None
    if user.password_reset_expires_at <= utcnow():
        return None
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set the new password through a valid link; the link is used up and every session ends."""
    user = user_for_token(token)
    if user is not None:
        # Locked and read again: of two simultaneous posts of one link, the second finds it used.
        user = lock_row(User, user.id)
        if user.password_reset_hash != hash_token(token):
            user = None
    if user is None:
        raise ResetLinkInvalid(_l("This link has expired or has already been used. Ask for a new one."))
    accounts.set_password(user, new_password)  # clears the link and ends every session
    audit.record("account.password_reset", target=user.email)
    return user
