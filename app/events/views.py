"""Public pages: the list of events, an event's page, and the health check."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, jsonify, render_template
from flask_login import current_user

from app.core.authz import event_or_404, team_role
from app.events import services
from app.extensions import db, limiter
from app.registration.services import registration_window

bp = Blueprint("events", __name__)


def visible_event_or_404(slug: str):
    """A published or archived event; drafts only for their own team."""
    event = event_or_404(slug)
    g.event_language = event.language
    g.team_role = team_role(event, current_user)
    if event.is_draft and g.team_role is None:
        abort(404)
    return event


@bp.route("/")
def index():
    upcoming, past = services.public_events()
    return render_template("events/index.html", upcoming=upcoming, past=past)


@bp.route("/events/<slug>/")
def event_page(slug):
    event = visible_event_or_404(slug)
    return render_template("events/event.html", event=event, window=registration_window(event))


@bp.route("/healthz")
def healthz():
    checks = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        checks["database"] = "unreachable"
    if current_app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith(("redis://", "rediss://")):
        try:
            checks["redis"] = "ok" if limiter.storage.check() else "unreachable"
        except Exception:  # noqa: BLE001 - any failure to reach Redis is an unhealthy answer
            checks["redis"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if healthy else "error", **checks), 200 if healthy else 503
