"""Live login sessions, kept on the server so that logging out really ends them.

At login the browser's (signed) session receives a random key; the database keeps only its
hash in ``user_sessions``. A request is logged in only while that row exists: logging out
deletes it, so a copy of the cookie taken before logout opens nothing afterwards. A password
change, a password reset and "log out everywhere else" delete the others.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import session

from app.auth.models import User, UserSession
from app.core.models import utcnow
from app.core.tokens import hash_token, new_token
from app.extensions import db

SESSION_KEY = "_session_key"
# A login lasts at most this long, even in a browser that is never closed.
MAX_SESSION_AGE = timedelta(days=30)


def start(user: User) -> None:
    """A new live session for ``user``, its key put into the browser's session."""
    forget_expired(user)
    key = new_token()
    db.session.add(UserSession(user_id=user.id, key_hash=hash_token(key)))
    db.session.flush()
    session[SESSION_KEY] = key


def is_live(user: User) -> bool:
    """Whether the browser's session key belongs to a live session of ``user``."""
    key = session.get(SESSION_KEY)
    if not isinstance(key, str) or not key:
        return False
    row = db.session.execute(
        sa.select(UserSession).filter_by(key_hash=hash_token(key), user_id=user.id)
    ).scalar_one_or_none()
    return row is not None and row.created_at > utcnow() - MAX_SESSION_AGE


def end_current() -> None:
    """Logging out: this browser's session stops being live."""
    key = session.pop(SESSION_KEY, None)
    if isinstance(key, str) and key:
        db.session.execute(sa.delete(UserSession).where(UserSession.key_hash == hash_token(key)))


def end_others(user: User) -> int:
    """Every session of ``user`` except this browser's ends; the number ended."""
    key = session.get(SESSION_KEY)
    current = hash_token(key) if isinstance(key, str) and key else ""
    result: sa.CursorResult = db.session.execute(  # type: ignore[assignment]  # a DELETE answers with a cursor
        sa.delete(UserSession).where(UserSession.user_id == user.id, UserSession.key_hash != current)
    )
    return result.rowcount


def end_all(user: User) -> None:
    """Every session of ``user`` ends (a new password, a disabled account)."""
    db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))


def count_others(user: User) -> int:
    key = session.get(SESSION_KEY)
    current = hash_token(key) if isinstance(key, str) and key else ""
    return db.session.execute(
        sa.select(sa.func.count()).select_from(UserSession).where(
            UserSession.user_id == user.id, UserSession.key_hash != current,
            UserSession.created_at > utcnow() - MAX_SESSION_AGE)
    ).scalar_one()


def forget_expired(user: User) -> None:
    db.session.execute(
        sa.delete(UserSession).where(UserSession.user_id == user.id, UserSession.created_at <= utcnow() - MAX_SESSION_AGE)
    )
