"""Public pages: the list of events, an event's page, and the health check."""

import sqlalchemy as sa
from flask import Blueprint, abort, g, jsonify, render_template
from flask_login import current_user

from app.core.authz import event_or_404, team_role
from app.events import services
from app.extensions import db
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
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
