"""The one writer of audit entries.

Services record what they do with ``record()`` (in the transaction of the change). As a net
under them, every organiser or staff request that changes something (a POST under
``/manage/`` that commits) gets an entry naming the page and its ids when no service recorded
a more precise one, and every export download is recorded too. So no action of the team goes
unrecorded, including ones added later. Downloads are recognised by the
``@personal_data_export`` mark on their view (app/core/exports.py), not by a list here.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEntry
from app.core.exports import is_personal_data_export
from app.core.i18n import person_name
from app.core.spreadsheets import csv_bytes
from app.extensions import db
from app.registration.models import Registration

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _acting_user():
    if has_request_context() and current_user and getattr(current_user, "is_authenticated", False):
        return current_user
    return None


def record(action: str, *, event=None, target: str = "", user=None, **details) -> AuditEntry:
    """Add an audit entry to the current transaction (committed with the change it records)."""
    if user is None:
        user = _acting_user()
    entry = AuditEntry(
        event_id=event.id if event is not None else None,
        user_id=user.id if user is not None else None,
        action=action,
        target=target[:200],
        details=details,
    )
    db.session.add(entry)
    if has_request_context():
        g.audit_recorded = True
    return entry


def _request_entry(action: str) -> AuditEntry | None:
    user = _acting_user()
    if user is None:
        return None
    event = g.get("event")
    target = ", ".join(f"{key}={value}" for key, value in sorted((request.view_args or {}).items()) if key != "slug")
    return AuditEntry(event_id=event.id if event is not None else None, user_id=user.id, action=action, target=target[:200],
                      details={"method": request.method, "path": request.path[:200]})


def _before_commit(session) -> None:
    if not has_request_context() or g.get("audit_recorded"):
        return
    if request.method in SAFE_METHODS or not request.path.startswith("/manage/") or request.endpoint is None:
        return
    if not (session.new or session.dirty or session.deleted or g.get("audit_changes")):
        return
    entry = _request_entry(request.endpoint)
    if entry is not None:
        g.audit_recorded = True
        session.add(entry)


def _after_flush(session, _context) -> None:
    if has_request_context() and (session.new or session.dirty or session.deleted):
        g.audit_changes = True


def _record_export(response):
    """Downloads of personal data: who took a copy, and when."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if is_personal_data_export(view) and response.status_code == 200 and g.get("event") is not None:
        entry = _request_entry(f"export.{request.endpoint}")
        if entry is not None:
            db.session.add(entry)
            db.session.commit()
    return response


def init_app(app: Flask) -> None:
    if not sa.event.contains(db.session, "before_commit", _before_commit):
        sa.event.listen(db.session, "before_commit", _before_commit)
        sa.event.listen(db.session, "after_flush", _after_flush)
    app.after_request(_record_export)


# Reading ---------------------------------------------------------------------------------

def forget_target(event_id: int, target: str, replacement: str) -> None:
    """Erasure: entries stay (who did what) but point at ``replacement`` instead of the person's address."""
    db.session.execute(
        sa.update(AuditEntry)
        .where(AuditEntry.event_id == event_id, AuditEntry.target == target)
        .values(target=replacement)
        .execution_options(synchronize_session=False)
    )


def entries_for(event, limit: int | None = None) -> list[AuditEntry]:
    statement = (
        db.select(AuditEntry).where(AuditEntry.event_id == event.id).options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if limit:
        statement = statement.limit(limit)
    return list(db.session.execute(statement).scalars())


def target_labels(entries: list[AuditEntry]) -> dict[str, str | None]:
    """``registration:12`` shown as the person's current name (or "erased"), looked up in one query."""
    ids = {int(entry.target.split(":", 1)[1]) for entry in entries
           if entry.target.startswith("registration:") and entry.target.split(":", 1)[1].isdigit()}
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Registration.id, Registration.first_name, Registration.last_name, Registration.country, Registration.erased_at)
        .where(Registration.id.in_(ids))
    ).all()
    labels = {}
    for reg_id, first, last, country, erased_at in rows:
        labels[f"registration:{reg_id}"] = None if erased_at else person_name(first, last, country)
    return labels


def as_csv(event, entries: list[AuditEntry], headers: list[str], labels: dict, describe_target) -> bytes:
    rows = []
    for entry in entries:
        who = entry.user.email if entry.user is not None else ""
        details = "; ".join(f"{key}={value}" for key, value in sorted((entry.details or {}).items()))
        rows.append([entry.created_at, who, entry.action,
                     describe_target(entry, labels), details])
    return csv_bytes(headers, rows, event.timezone)  # "When" as ISO 8601 in the event's zone
