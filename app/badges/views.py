"""Badge PDFs for the participant and the organiser, and replacing a lost badge."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from slugify import slugify

from app.auth.models import Role
from app.badges import pdf, services
from app.badges.forms import BadgePrintForm
from app.core.authz import event_team_required
from app.core.errors import render_error
from app.core.exports import personal_data_export
from app.core.views import commit_or_report
from app.extensions import db
from app.registration.services import get_by_token

bp = Blueprint("badges", __name__)


def pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/r/<token>/badge.pdf")
def participant_badge(token):
    """The participant's own badge, one A6 page; only a confirmed registration has one."""
    registration = get_by_token(token)
    if registration is None:
        abort(404)
    if not registration.may_attend:
        return render_error(403, _("A badge is available once your registration is confirmed."))
    event = registration.event
    badge = services.badge_for(registration)
    db.session.commit()
    return pdf_response(pdf.single_badge_pdf(event, badge), f"badge-{slugify(event.slug)}.pdf")


@bp.route("/manage/events/<slug>/badges")
@event_team_required(Role.ORGANISER)
def overview(event):
    form = BadgePrintForm()
    badges = services.event_badges(event)
    db.session.commit()  # secrets issued to confirmed registrations that had none
    return render_template(
        "badges/manage/overview.html", event=event, form=form, badges=badges,
        role_labels=services.ROLE_LABELS,
    )


@bp.route("/manage/events/<slug>/badges.pdf", methods=["GET", "POST"])
@personal_data_export
@event_team_required(Role.ORGANISER)
def sheets(event):
    """A4 sheets of four badges, sorted by last name; the badges printed are marked as printed.

    Filters come from the form (POST) or the query string (GET): ``role`` and ``not_printed``.
    """
    values = request.form if request.method == "POST" else request.args
    role = values.get("role") or None
    if role is not None and not services.BadgeRole.has(role):
        abort(400)
    not_printed = values.get("not_printed") in ("y", "1", "on", "true")
    badges = services.event_badges(event, role=role, not_printed=not_printed)
    data = pdf.sheets_pdf(event, badges)
    services.mark_printed(event, badges)
    db.session.commit()
    return pdf_response(data, f"badges-{event.slug}.pdf")


@bp.route("/manage/events/<slug>/badges/<int:registration_id>/replace", methods=["POST"])
@event_team_required(Role.ORGANISER)
def replace(event, registration_id):
    commit_or_report(
        lambda: services.replace_badge_secret(event, registration_id, by=current_user),
        success=lambda registration: _("%(name)s has a new badge; the old one no longer opens the door.",
                                       name=registration.full_name),
    )
    return redirect(url_for("badges.overview", slug=event.slug))
