"""The one writer of audit entries."""

from flask_login import current_user

from app.audit.models import AuditEntry
from app.extensions import db


def record(action: str, *, event=None, target: str = "", user=None, **details) -> AuditEntry:
    """Add an audit entry to the current transaction (committed with the change it records)."""
    if user is None and current_user and getattr(current_user, "is_authenticated", False):
        user = current_user
    entry = AuditEntry(
        event_id=event.id if event is not None else None,
        user_id=user.id if user is not None else None,
        action=action,
        target=target,
        details=details,
    )
    db.session.add(entry)
    return entry
