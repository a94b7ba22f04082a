"""Organisers' pages: registrations, questions, exports, import and emails."""

from collections.abc import Callable
from functools import partial

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.auth.models import Role
from app.core import spreadsheets
from app.core.authz import event_team_required
from app.core.exports import personal_data_export
from app.core.views import commit_or_report, redirect_back
from app.extensions import db
from app.mail import services as mail_services
from app.mail.models import OutboxMessage, OutboxStatus
from app.registration import exports, imports, lists, messages, services
from app.registration import questions as form_questions
from app.registration.forms import AddParticipantForm, ImportForm, MessageForm, QuestionForm
from app.registration.models import Question, Registration, RegistrationStatus

bp = Blueprint("registrations", __name__, url_prefix="/manage/events/<slug>")

# The list's filter names the waiting list as a group, not as one person's state.
STATUS_FILTERS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.PENDING: _l("Awaiting approval"),
    RegistrationStatus.WAITLISTED: _l("Waiting list"),
    RegistrationStatus.DECLINED: _l("Declined"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}
OUTBOX_STATES = {
    OutboxStatus.QUEUED: _l("Queued"), OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"), OutboxStatus.FAILED: _l("Failed"),
}
# What the organiser can do with one registration; moving on the waiting list takes a position too.
# Each status action: the service that makes the change, and what the organiser is told.
ACTIONS: dict[str, tuple[Callable[[Registration], object], LazyString]] = {
    "approve": (services.approve, _l("Approved.")),
    "decline": (services.decline, _l("Declined.")),
    "cancel": (partial(services.cancel, by_organiser=True), _l("Cancelled.")),
    "promote": (services.promote, _l("Promoted from the waiting list.")),
}
IMPORT_LIMIT = 2 * 1024 * 1024  # bytes


def registration_of(event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def question_of(event, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question


@bp.route("/registrations")
@event_team_required(Role.ORGANISER)
def index(event):
    query = request.args.get("q", "")[:200]
    status = request.args.get("status", "")
    return render_template(
        "registration/manage/index.html", event=event, query=query, status=status, status_filters=STATUS_FILTERS,
        registrations=lists.search(event, query, status), counts=services.counts_by_status(event),
        window=services.registration_window(event),
    )


@bp.route("/registrations/<int:registration_id>/<action>", methods=["POST"])
@event_team_required(Role.ORGANISER)
def act(event, registration_id, action):
    registration = registration_of(event, registration_id)
    change: Callable[[Registration], object]
    if action == "move":
        position = request.form.get("position", type=int)
        if position is None:
            abort(400)
        change, done = partial(services.move_on_waitlist, new_position=position), _l("Moved on the waiting list.")
    elif action in ACTIONS:
        change, done = ACTIONS[action]
    else:
        abort(404)
    commit_or_report(lambda: change(registration), success=f"{registration.full_name}: {done}")
    return redirect_back("registrations.index", slug=event.slug)


@bp.route("/registrations/new", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def add(event):
    form = AddParticipantForm()
    if not form.is_submitted():
        form.language.data = event.language
    if form.validate_on_submit():
        registrant = services.Registrant(
            first_name=form.first_name.data, last_name=form.last_name.data, email=form.email.data,
            organisation=form.organisation.data or "", job_title=form.job_title.data or "",
            country=form.country.data or "", phone=form.phone.data or "", language=form.language.data,
        )
        outcome = commit_or_report(
            lambda: services.register(event, registrant, services.Consents(privacy=True), by_organiser=True), form=form,
            success=lambda result: _("%(name)s is registered (%(status)s).", name=result.registration.full_name,
                                     status=result.registration.status),
        )
        if outcome.ok:
            return redirect(url_for("registrations.index", slug=event.slug))
    return render_template("registration/manage/add.html", event=event, form=form)


def _uploaded_text(form) -> str | None:
    """The uploaded file as text, or None with the reason at the file field."""
    raw = form.file.data.read(IMPORT_LIMIT + 1)
    if len(raw) > IMPORT_LIMIT:
        form.file.errors.append(_("The file is larger than 2 MB."))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors.append(_("Save the file as UTF-8 CSV and try again."))
        return None


@bp.route("/registrations/import", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def import_csv(event):
    form = ImportForm()
    preview, content = None, request.form.get("content")
    if request.form.get("confirm") and content is not None:
        # The organiser confirmed the preview: the same text, checked again, then registered.
        preview = confirmed = imports.parse_import(event, content)
        if confirmed.ok:
            outcome = commit_or_report(lambda: imports.apply_import(event, confirmed),
                                       success=lambda created: _("%(n)d participants imported.", n=len(created)))
            if outcome.ok:
                return redirect(url_for("registrations.index", slug=event.slug))
    elif form.validate_on_submit():
        content = _uploaded_text(form)
        if content is not None:
            preview = imports.parse_import(event, content)
    return render_template("registration/manage/import.html", event=event, form=form, preview=preview, content=content)


def _export(event):
    return exports.table(event, lists.search(event), form_questions.all_questions(event))


@bp.route("/registrations.csv")
@personal_data_export
@event_team_required(Role.ORGANISER)
def export_csv(event):
    headers, rows = _export(event)
    return Response(spreadsheets.csv_bytes(headers, rows, event.timezone), content_type=spreadsheets.CSV_CONTENT_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-registrations.csv"'})


@bp.route("/registrations.xlsx")
@personal_data_export
@event_team_required(Role.ORGANISER)
def export_xlsx(event):
    headers, rows = _export(event)
    return Response(spreadsheets.xlsx_bytes(headers, rows, _("Registrations"), event.timezone),
                    content_type=spreadsheets.XLSX_CONTENT_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-registrations.xlsx"'})


def _save_question(event, question, form, success: str):
    """Add or change a question; back to the list when saved, else None (errors at the form)."""
    outcome = commit_or_report(lambda: form_questions.save_question(event, question, form.data), form=form, success=success)
    return redirect(url_for("registrations.questions", slug=event.slug)) if outcome.ok else None


@bp.route("/questions", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def questions(event):
    form = QuestionForm()
    if form.validate_on_submit() and (saved := _save_question(event, None, form, _("The question was added."))):
        return saved
    return render_template("registration/manage/questions.html", event=event, form=form,
                           questions=form_questions.all_questions(event))


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_question(event, question_id):
    question = question_of(event, question_id)
    form = QuestionForm(obj=question)
    if not form.is_submitted():
        form.choices.data = "\n".join(question.choices or [])
    saved_text = _("The question was saved. Answers given earlier are kept.")
    if form.validate_on_submit() and (saved := _save_question(event, question, form, saved_text)):
        return saved
    return render_template("registration/manage/question_edit.html", event=event, form=form, question=question)


def _deleted_or_retired(deleted: bool) -> str:
    if deleted:
        return _("The question was deleted.")
    return _("The question has answers, so it was hidden from the form; its answers stay in the lists and exports.")


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_question(event, question_id):
    question = question_of(event, question_id)
    commit_or_report(lambda: form_questions.delete_question(event, question), success=_deleted_or_retired)
    return redirect(url_for("registrations.questions", slug=event.slug))


@bp.route("/questions/<int:question_id>/restore", methods=["POST"])
@event_team_required(Role.ORGANISER)
def restore_question(event, question_id):
    question = question_of(event, question_id)
    commit_or_report(lambda: form_questions.restore_question(question), success=_("The question is back on the form."))
    return redirect(url_for("registrations.questions", slug=event.slug))


@bp.route("/emails", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def emails(event):
    form = MessageForm()
    if form.validate_on_submit():
        commit_or_report(
            lambda: messages.send_message(event, form.status.data, form.subject.data.strip(), form.body.data.strip()),
            success=lambda count: _("Your message is queued for %(n)d recipients.", n=count),
        )
        return redirect(url_for("registrations.emails", slug=event.slug))
    outbox = mail_services.outbox_for_event(event)
    return render_template("registration/manage/emails.html", event=event, form=form, messages=outbox,
                           counts=mail_services.outbox_counts(event), states=OUTBOX_STATES,
                           retryable={message.id for message in outbox if _may_retry(message)})


def _may_retry(message: OutboxMessage) -> bool:
    """Worth a "Send now": it failed, or it is queued again after a failed attempt."""
    return message.status == OutboxStatus.FAILED or (message.status == OutboxStatus.QUEUED and bool(message.attempts))


@bp.route("/emails/<int:message_id>/retry", methods=["POST"])
@event_team_required(Role.ORGANISER)
def retry_email(event, message_id):
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.event_id != event.id:
        abort(404)
    commit_or_report(lambda: mail_services.retry_now(message), success=_("The message will be sent again shortly."))
    return redirect(url_for("registrations.emails", slug=event.slug))
