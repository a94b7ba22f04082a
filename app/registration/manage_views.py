"""Organisers' pages: registrations, questions, exports, import and emails."""

from functools import partial

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.models import Role
from app.core import spreadsheets
from app.core.authz import event_team_required
from app.core.domain import apply_field_errors
from app.core.views import redirect_back
from app.extensions import db
from app.mail import services as mail_services
from app.mail.models import OutboxMessage
from app.registration import exports, services
from app.registration.forms import AddParticipantForm, ImportForm, MessageForm, QuestionForm
from app.registration.models import Question, Registration

bp = Blueprint("registrations", __name__, url_prefix="/manage/events/<slug>")


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
        "registration/manage/index.html", event=event, query=query, status=status,
        registrations=services.search(event, query, status), counts=services.counts_by_status(event),
        window=services.registration_window(event),
    )


ACTIONS = {
    "approve": services.approve,
    "decline": services.decline,
    "cancel": partial(services.cancel, by_organiser=True),
    "promote": services.promote,
}


@bp.route("/registrations/<int:registration_id>/<action>", methods=["POST"])
@event_team_required(Role.ORGANISER)
def act(event, registration_id, action):
    registration = registration_of(event, registration_id)
    try:
        if action == "move":
            position = request.form.get("position", type=int)
            if position is None:
                abort(400)
            services.move_on_waitlist(registration, position)
            message = _("Moved on the waiting list.")
        elif action in ACTIONS:
            ACTIONS[action](registration)
            message = {
                "approve": _("Approved."), "decline": _("Declined."), "cancel": _("Cancelled."),
                "promote": _("Promoted from the waiting list."),
            }[action]
        else:
            abort(404)
    except services.RegistrationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(f"{registration.full_name}: {message}", "success")
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
        try:
            result = services.register(event, registrant, services.Consents(privacy=True), by_organiser=True)
        except services.RegistrationError as error:
            db.session.rollback()
            apply_field_errors(form, [error])
        else:
            db.session.commit()
            flash(_("%(name)s is registered (%(status)s).", name=result.registration.full_name,
                    status=result.registration.status), "success")
            return redirect(url_for("registrations.index", slug=event.slug))
    return render_template("registration/manage/add.html", event=event, form=form)


@bp.route("/registrations/import", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def import_csv(event):
    form = ImportForm()
    preview = None
    if request.form.get("confirm") and request.form.get("content") is not None:
        preview = services.parse_import(event, request.form["content"])
        if preview.ok:
            created = services.apply_import(event, preview)
            db.session.commit()
            flash(_("%(n)d participants imported.", n=len(created)), "success")
            return redirect(url_for("registrations.index", slug=event.slug))
    elif form.validate_on_submit():
        raw = form.file.data.read(2 * 1024 * 1024 + 1)
        if len(raw) > 2 * 1024 * 1024:
            form.file.errors.append(_("The file is larger than 2 MB."))
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors.append(_("Save the file as UTF-8 CSV and try again."))
            else:
                preview = services.parse_import(event, text)
                return render_template("registration/manage/import.html", event=event, form=form, preview=preview, content=text)
    return render_template("registration/manage/import.html", event=event, form=form, preview=preview,
                           content=request.form.get("content"))


def _export(event):
    registrations = services.search(event)
    return exports.table(event, registrations, services.all_questions(event))


@bp.route("/registrations.csv")
@event_team_required(Role.ORGANISER)
def export_csv(event):
    headers, rows = _export(event)
    return Response(spreadsheets.csv_bytes(headers, rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-registrations.csv"'})


@bp.route("/registrations.xlsx")
@event_team_required(Role.ORGANISER)
def export_xlsx(event):
    headers, rows = _export(event)
    return Response(spreadsheets.xlsx_bytes(headers, rows, _("Registrations")),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-registrations.xlsx"'})


@bp.route("/questions", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def questions(event):
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            services.save_question(event, None, form.data)
        except services.RegistrationError as error:
            db.session.rollback()
            apply_field_errors(form, [error])
        else:
            db.session.commit()
            flash(_("The question was added."), "success")
            return redirect(url_for("registrations.questions", slug=event.slug))
    return render_template("registration/manage/questions.html", event=event, form=form,
                           questions=services.all_questions(event))


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_question(event, question_id):
    question = question_of(event, question_id)
    form = QuestionForm(obj=question)
    if not form.is_submitted():
        form.choices.data = "\n".join(question.choices or [])
    if form.validate_on_submit():
        try:
            services.save_question(event, question, form.data)
        except services.RegistrationError as error:
            db.session.rollback()
            apply_field_errors(form, [error])
        else:
            db.session.commit()
            flash(_("The question was saved. Answers given earlier are kept."), "success")
            return redirect(url_for("registrations.questions", slug=event.slug))
    return render_template("registration/manage/question_edit.html", event=event, form=form, question=question)


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_question(event, question_id):
    question = question_of(event, question_id)
    deleted = services.delete_question(event, question)
    db.session.commit()
    if deleted:
        flash(_("The question was deleted."), "success")
    else:
        flash(_("The question has answers, so it was hidden from the form; its answers stay in the lists and exports."), "success")
    return redirect(url_for("registrations.questions", slug=event.slug))


@bp.route("/questions/<int:question_id>/restore", methods=["POST"])
@event_team_required(Role.ORGANISER)
def restore_question(event, question_id):
    services.restore_question(question_of(event, question_id))
    db.session.commit()
    flash(_("The question is back on the form."), "success")
    return redirect(url_for("registrations.questions", slug=event.slug))


@bp.route("/emails", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def emails(event):
    form = MessageForm()
    if form.validate_on_submit():
        count = services.send_message(event, form.status.data, form.subject.data.strip(), form.body.data.strip())
        db.session.commit()
        flash(_("Your message is queued for %(n)d recipients.", n=count), "success")
        return redirect(url_for("registrations.emails", slug=event.slug))
    return render_template("registration/manage/emails.html", event=event, form=form,
                           messages=mail_services.outbox_for_event(event), counts=mail_services.outbox_counts(event))


@bp.route("/emails/<int:message_id>/retry", methods=["POST"])
@event_team_required(Role.ORGANISER)
def retry_email(event, message_id):
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.event_id != event.id:
        abort(404)
    mail_services.retry_now(message)
    db.session.commit()
    flash(_("The message will be sent again shortly."), "success")
    return redirect(url_for("registrations.emails", slug=event.slug))

