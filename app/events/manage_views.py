"""Organisers' pages for their events: create, edit, publish, clone, team."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth import services as accounts
from app.auth.forms import TeamMemberForm
from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.timezones import utc_to_local_naive
from app.core.views import commit_or_report
from app.events import services
from app.events.dashboard import overview
from app.events.forms import CloneEventForm, EventForm
from app.events.models import EventStatus

bp = Blueprint("manage", __name__, url_prefix="/manage")


def form_values(form: EventForm) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name not in ("submit", "csrf_token")}
    for name in ("title", "summary", "venue_name", "venue_address", "slug", "contact_email", "timezone"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    return data


def save_from_form(form: EventForm, event=None, *, success: str):
    """Run the service with the form's data; on refusal, put the messages beside the fields."""
    return commit_or_report(
        lambda: services.save_event(event, services.EventChanges(form_values(form)), creator=current_user),
        form=form, success=success,
    )


@bp.route("/")
@login_required
def index():
    return render_template("events/manage/index.html", memberships=services.events_for_user(current_user))


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    form = EventForm()
    if not form.is_submitted():
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        outcome = save_from_form(form, success=_("The event was created as a draft. Publish it when it is ready."))
        if outcome.value is not None:
            return redirect(url_for("manage.dashboard", slug=outcome.value.slug))
    return render_template("events/manage/event_form.html", form=form, event=None)


@bp.route("/events/<slug>/")
@event_team_required(Role.ORGANISER)
def dashboard(event):
    return render_template("events/manage/dashboard.html", event=event, **overview(event))


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_event(event):
    form = EventForm(obj=event)
    if not form.is_submitted():
        for name in services.LOCAL_TIME_FIELDS:
            moment = getattr(event, name)
            getattr(form, name).data = utc_to_local_naive(moment, event.timezone) if moment else None
    if form.validate_on_submit() and save_from_form(form, event, success=_("The event was saved.")).ok:
        return redirect(url_for("manage.dashboard", slug=event.slug))
    return render_template("events/manage/event_form.html", form=form, event=event)


STATUS_ACTIONS = {
    "publish": (EventStatus.PUBLISHED, _l("The event is published.")),
    "unpublish": (EventStatus.DRAFT, _l("The event is a draft again and hidden from the public.")),
    "archive": (EventStatus.ARCHIVED, _l("The event is archived.")),
}


@bp.route("/events/<slug>/status", methods=["POST"])
@event_team_required(Role.ORGANISER)
def change_status(event):
    action = STATUS_ACTIONS.get(request.form.get("action", ""))
    if action is None:
        flash(_("Unknown action."), "error")
    else:
        status, message = action
        commit_or_report(lambda: services.set_status(event, status), success=str(message))
    return redirect(url_for("manage.dashboard", slug=event.slug))


@bp.route("/events/<slug>/clone", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def clone_event(event):
    form = CloneEventForm()
    if not form.is_submitted():
        form.title.data = _("%(title)s (copy)", title=event.title)
    if form.validate_on_submit():
        outcome = commit_or_report(
            lambda: services.clone_event(event, form.title.data.strip(), form.start_date.data, current_user),
            form=form, success=_("The copy was created as a draft. Registrations were not copied."),
        )
        if outcome.value is not None:
            return redirect(url_for("manage.edit_event", slug=outcome.value.slug))
    return render_template("events/manage/clone.html", form=form, event=event)


@bp.route("/events/<slug>/team", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def team(event):
    form = TeamMemberForm()
    if form.validate_on_submit():
        outcome = commit_or_report(
            lambda: accounts.add_team_member(event, form.email.data, form.role.data), form=form,
            success=_("%(email)s is on the team.", email=form.email.data.strip().lower()),
        )
        if outcome.ok:
            return redirect(url_for("manage.team", slug=event.slug))
    return render_template("events/manage/team.html", form=form, event=event)


@bp.route("/events/<slug>/team/<int:member_id>/remove", methods=["POST"])
@event_team_required(Role.ORGANISER)
def remove_member(event, member_id):
    commit_or_report(lambda: accounts.remove_team_member(event, member_id, current_user), success=_("Removed from the team."))
    return redirect(url_for("manage.team", slug=event.slug))
