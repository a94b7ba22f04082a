"""Erasure from the participant's private link, and the organiser's privacy page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.models import utcnow
from app.core.views import commit_or_report
from app.privacy import services
from app.privacy.forms import EraseEventForm, EraseRegistrationForm
from app.registration.views import registration_or_404

bp = Blueprint("privacy", __name__)


@bp.route("/r/<token>/delete", methods=["GET", "POST"])
def erase_registration(token):
    registration = registration_or_404(token)
    event = registration.event
    form = EraseRegistrationForm()
    if form.validate_on_submit() and commit_or_report(lambda: services.erase_registration(registration), form=form).ok:
        return render_template("privacy/erased.html", event=event)
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/erase.html", registration=registration, event=event, token=token, form=form), status


@bp.route("/manage/events/<slug>/privacy", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def event_privacy(event):
    form = EraseEventForm()
    over = services.event_is_over(event)
    if over and form.validate_on_submit() and commit_or_report(
        lambda: services.erase_event(event, by=current_user), form=form,
        success=lambda count: _("The personal data of %(count)d registrations was deleted.", count=count),
    ).ok:
        return redirect(url_for("privacy.event_privacy", slug=event.slug))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "privacy/manage/event.html", event=event, form=form, over=over, now=utcnow(),
        records=services.consent_records(event),
    ), status
