"""The participant's side: the registration form and the private manage link."""

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.agenda import services as agenda
from app.core.i18n import local_date, local_time
from app.core.models import utcnow
from app.core.views import commit_or_report
from app.events.views import visible_event_or_404
from app.extensions import limiter
from app.registration import details, services
from app.registration.forms import (
    EditRegistrationForm,
    RegistrationForm,
    answer_to_form_value,
    answers_from_form,
    with_questions,
    with_session_choices,
)
from app.registration.personal_data import personal_data
from app.registration.questions import active_questions, all_questions

bp = Blueprint("participant", __name__)


@bp.after_request
def keep_tokens_private(response):
    # Private links must not leak to other sites through the Referer header, nor be cached.
    if request.path.startswith("/r/"):
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def session_options(event) -> list[tuple[int, str]]:
    """Sessions a participant can choose while registering: open for sign-up and not full."""
    now = utcnow()
    taken = agenda.seats_taken(event)
    options = []
    for item in agenda.sessions_for(event, include_cancelled=False):
        if not item.open_for_sign_up(now):
            continue
        left = agenda.seats_left(item, taken) or 0
        if left > 0:
            when = f"{local_date(item.starts_at, event.timezone, 'medium')} {local_time(item.starts_at, event.timezone)}"
            options.append((item.id, _("%(title)s — %(when)s (%(left)d seats left)", title=item.title, when=when, left=left)))
    return options


def registrant_from_form(form, language: str) -> services.Registrant:
    return services.Registrant(
        first_name=form.first_name.data, last_name=form.last_name.data, email=form.email.data,
        organisation=form.organisation.data or "", job_title=form.job_title.data or "",
        country=form.country.data or "", phone=form.phone.data or "", language=language,
    )


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def register(slug):
    event = visible_event_or_404(slug)
    accepting = services.takes_registrations(event, utcnow())
    questions = active_questions(event)
    form = with_session_choices(with_questions(RegistrationForm, questions), session_options(event))()
    if accepting and form.validate_on_submit():
        slug = event.slug  # read before the commit expires the event
        outcome = commit_or_report(lambda: services.register_or_resend_link(
            event,
            registrant_from_form(form, str(get_locale() or event.language)),
            services.Consents(form.privacy_consent.data, form.photo_consent.data, form.future_events_consent.data),
            answers=answers_from_form(form, questions),
            questions=questions,
            session_ids=[int(value) for value in form.sessions.data or []] if hasattr(form, "sessions") else None,
        ), form=form)
        if outcome.ok:
            session["registered_email"] = form.email.data.strip().lower()
            return redirect(url_for("participant.registered", slug=slug))
        if isinstance(outcome.error, services.RegistrationClosed):
            # Closed between showing the form and sending it: the event page says so.
            flash(str(outcome.error.message), "error")
            return redirect(url_for("events.event_page", slug=slug))
    status = 422 if form.is_submitted() and accepting else 200
    window = services.registration_window(event)
    return render_template("registration/register.html", event=event, form=form, window=window, questions=questions), status


@bp.route("/events/<slug>/register/sent")
def registered(slug):
    event = visible_event_or_404(slug)
    return render_template("registration/sent.html", event=event, email=session.get("registered_email"))


def registration_or_404(token: str):
    """The registration a private link opens; its pages speak the participant's language."""
    registration = services.get_by_token(token)
    if registration is None:
        abort(404)
    g.event_language = registration.language or registration.event.language
    return registration


def _render(template: str, registration, token: str, **context) -> str:
    return render_template(template, registration=registration, event=registration.event, token=token, **context)


@bp.route("/r/<token>")
def manage(token):
    registration = registration_or_404(token)
    answers = {answer.question_id: answer.value for answer in registration.answers}
    return _render("registration/yours.html", registration, token, questions=all_questions(registration.event),
                   answers=answers)


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def edit(token):
    registration = registration_or_404(token)
    if not registration.is_active:
        flash(_("This registration is no longer active, so it cannot be changed."), "error")
        return redirect(url_for("participant.manage", token=token))
    questions = active_questions(registration.event)
    form = with_questions(EditRegistrationForm, questions)(obj=registration)
    if not form.is_submitted():
        form.photo_consent.data = registration.consent_photo_at is not None
        form.future_events_consent.data = registration.consent_future_events_at is not None
        answers = {answer.question_id: answer.value for answer in registration.answers}
        for question in questions:
            form[question.field_name].data = answer_to_form_value(question, answers.get(question.id))
    if form.validate_on_submit():
        outcome = commit_or_report(lambda: details.update_registration(
            registration, registrant_from_form(form, registration.language), answers_from_form(form, questions),
            photo=form.photo_consent.data, future_events=form.future_events_consent.data,
        ), form=form, success=_("Your changes are saved."))
        if outcome.ok:
            return redirect(url_for("participant.manage", token=token))
    status = 422 if form.is_submitted() else 200
    return _render("registration/edit.html", registration, token, form=form), status


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token):
    registration = registration_or_404(token)
    if request.method == "POST":
        commit_or_report(lambda: services.cancel(registration),
                         success=_("Your registration is cancelled. We have sent you a confirmation."))
        return redirect(url_for("participant.manage", token=token))
    return _render("registration/cancel.html", registration, token)


@bp.route("/r/<token>/data.json")
def data_export(token):
    """Everything we hold about the participant, as the GDPR right of access asks."""
    registration = registration_or_404(token)
    response = jsonify(personal_data(registration))
    response.headers["Content-Disposition"] = f'attachment; filename="registration-{registration.event.slug}.json"'
    return response
