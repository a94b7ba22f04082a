"""Who may see an event's management pages.

Site administrators may see every event; other users only the events whose team they
are on, check-in staff only the check-in pages.
"""

from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required

from app.auth.models import EventMember, Role
from app.events.models import Event
from app.extensions import db


def team_role(event: Event, user) -> str | None:
    """The user's role on this event's team, with administrators counted as organisers."""
    if not user.is_authenticated:
        return None
    if user.is_admin:
        return Role.ORGANISER
    return db.session.execute(
        db.select(EventMember.role).filter_by(event_id=event.id, user_id=user.id)
    ).scalar_one_or_none()


def event_or_404(slug: str) -> Event:
    event = db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one_or_none()
    if event is None:
        abort(404)
    return event


def event_team_required(*roles: str):
    """Load the event named by ``slug`` for a team member with one of ``roles``.

    The view receives ``event`` instead of ``slug``; unknown slugs are 404, users
    outside the team (or with another role) get 403.
    """
    allowed = roles or (Role.ORGANISER,)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(slug, **kwargs):
            event = event_or_404(slug)
            role = team_role(event, current_user)
            if role not in allowed:
                abort(403)
            g.event = event
            g.team_role = role
            return view(event=event, **kwargs)

        return wrapped

    return decorator
