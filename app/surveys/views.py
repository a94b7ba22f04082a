"""Survey pages: the organisers' builder, invitations and results, and the respondent's ``/s/<token>``."""

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.domain import apply_field_errors
from app.core.models import utcnow
from app.core.timezones import local_to_utc, utc_to_local_naive
from app.events.models import Event
from app.extensions import db
from app.surveys import services
from app.surveys.forms import (
    QuestionForm,
    SurveyForm,
    answers_from_form,
    build_answer_form,
    form_data_from_answers,
    kind_labels,
)
from app.surveys.models import Survey

manage = Blueprint("surveys_manage", __name__, url_prefix="/manage/events/<slug>/survey")
public = Blueprint("surveys", __name__)


@manage.context_processor
def number_formatting():
    return {"number": services.format_number}


def survey_or_redirect(event):
    survey = services.get_survey(event)
    if survey is None:
        flash(_("Create the survey first."), "info")
    return survey


# Builder -------------------------------------------------------------------------------------


@manage.route("", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def builder(event):
    survey = services.get_survey(event)
    shown = survey or services.new_survey(event)
    form = SurveyForm(obj=shown)
    if not form.is_submitted():
        form.opens_at.data = utc_to_local_naive(shown.opens_at, event.timezone) if shown.opens_at else None
        form.closes_at.data = utc_to_local_naive(shown.closes_at, event.timezone) if shown.closes_at else None
    if form.validate_on_submit():
        try:
            services.save_survey(
                event, title=form.title.data, introduction=form.introduction.data or "",
                opens_at=local_to_utc(form.opens_at.data, event.timezone) if form.opens_at.data else None,
                closes_at=local_to_utc(form.closes_at.data, event.timezone) if form.closes_at.data else None,
                anonymous=form.anonymous.data, audience=form.audience.data,
            )
        except ExceptionGroup as group:
            db.session.rollback()
            apply_field_errors(form, list(group.exceptions))
        else:
            db.session.commit()
            flash(_("The survey was saved."), "success")
            return redirect(url_for("surveys_manage.builder", slug=event.slug))
    overview = services.invitation_overview(survey) if survey else None
    return render_template(
        "surveys/builder.html", event=event, survey=survey, form=form, overview=overview,
        kinds=dict(kind_labels()), is_open=survey is not None and services.is_open(survey),
        has_closed=survey is not None and services.has_closed(survey),
    )


def question_changes(form: QuestionForm) -> services.QuestionChanges:
    return services.QuestionChanges(
        kind=form.kind.data, label=form.label.data or "", help_text=form.help_text.data or "",
        section=form.section.data or "", required=form.required.data, choices=form.choice_list(),
        min_picks=form.min_picks.data, max_picks=form.max_picks.data,
    )


@manage.route("/questions/new", methods=["GET", "POST"])
@manage.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def edit_question(event, question_id=None):
    survey = survey_or_redirect(event)
    if survey is None:
        return redirect(url_for("surveys_manage.builder", slug=event.slug))
    question = None
    if question_id is not None:
        question = services.get_question(survey, question_id)
        if question is None:
            abort(404)
    form = QuestionForm(obj=question)
    if question is not None and not form.is_submitted():
        form.choices.data = "\n".join(question.choices or [])
    if form.validate_on_submit():
        try:
            services.save_question(survey, question, question_changes(form))
        except ExceptionGroup as group:
            db.session.rollback()
            apply_field_errors(form, list(group.exceptions))
        else:
            db.session.commit()
            flash(_("The question was saved."), "success")
            return redirect(url_for("surveys_manage.builder", slug=event.slug) + "#questions")
    return render_template("surveys/question_form.html", event=event, survey=survey, form=form, question=question)


@manage.route("/questions/<int:question_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_question(event, question_id):
    survey = services.get_survey(event)
    question = services.get_question(survey, question_id) if survey else None
    if question is None:
        abort(404)
    try:
        services.delete_question(question)
    except services.SurveyError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The question was deleted."), "success")
    return redirect(url_for("surveys_manage.builder", slug=event.slug) + "#questions")


@manage.route("/questions/<int:question_id>/move", methods=["POST"])
@event_team_required(Role.ORGANISER)
def move_question(event, question_id):
    survey = services.get_survey(event)
    question = services.get_question(survey, question_id) if survey else None
    if question is None:
        abort(404)
    services.move_question(question, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for("surveys_manage.builder", slug=event.slug) + "#questions")


@manage.route("/preview")
@event_team_required(Role.ORGANISER)
def preview(event):
    survey = survey_or_redirect(event)
    if survey is None:
        return redirect(url_for("surveys_manage.builder", slug=event.slug))
    sessions = services.sessions_to_rate(survey, None)
    form = build_answer_form(survey.questions, sessions)
    return render_template("surveys/answer.html", event=event, survey=survey, form=form, sessions=sessions,
                           preview=True, token=None)


# Invitations ---------------------------------------------------------------------------------


@manage.route("/send", methods=["POST"])
@event_team_required(Role.ORGANISER)
def send(event):
    survey = survey_or_redirect(event)
    if survey is None:
        return redirect(url_for("surveys_manage.builder", slug=event.slug))
    try:
        report = services.send_invitations(survey)
    except services.SurveyError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if report.invited:
            flash(_("%(count)d invitations are on their way.", count=report.invited), "success")
        else:
            flash(_("Everyone in the audience has already been invited."), "info")
    return redirect(url_for("surveys_manage.invitations", slug=event.slug))


@manage.route("/remind", methods=["POST"])
@event_team_required(Role.ORGANISER)
def remind(event):
    survey = survey_or_redirect(event)
    if survey is None:
        return redirect(url_for("surveys_manage.builder", slug=event.slug))
    try:
        count = services.send_reminders(survey)
    except services.SurveyError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        if count:
            flash(_("%(count)d reminders are on their way.", count=count), "success")
        else:
            flash(_("Everyone invited has answered; no reminder was needed."), "info")
    return redirect(url_for("surveys_manage.invitations", slug=event.slug))


@manage.route("/invitations")
@event_team_required(Role.ORGANISER)
def invitations(event):
    survey = survey_or_redirect(event)
    if survey is None:
        return redirect(url_for("surveys_manage.builder", slug=event.slug))
    return render_template("surveys/invitations.html", event=event, survey=survey,
                           overview=services.invitation_overview(survey), has_closed=services.has_closed(survey))


# Results -------------------------------------------------------------------------------------


@manage.route("/results")
@event_team_required(Role.ORGANISER)
def results(event):
    survey = survey_or_redirect(event)
    if survey is None:
        return redirect(url_for("surveys_manage.builder", slug=event.slug))
    return render_template("surveys/results.html", event=event, survey=survey, results=services.results(survey),
                           printable=False)


@manage.route("/results/print")
@event_team_required(Role.ORGANISER)
def results_print(event):
    survey = survey_or_redirect(event)
    if survey is None:
        return redirect(url_for("surveys_manage.builder", slug=event.slug))
    return render_template("surveys/results.html", event=event, survey=survey, results=services.results(survey),
                           printable=True, printed_at=utcnow())


@manage.route("/results.csv")
@event_team_required(Role.ORGANISER)
def results_csv(event):
    survey = services.get_survey(event)
    if survey is None:
        abort(404)
    return Response(
        services.results_csv(survey).encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{event.slug}-survey-results.csv"',
            "Cache-Control": "no-store",
        },
    )


# Answering -----------------------------------------------------------------------------------


def state_page(event, survey, state: str, status: int = 200):
    return render_template("surveys/state.html", event=event, survey=survey, state=state), status


@public.route("/s/<token>", methods=["GET", "POST"])
def answer(token):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render_template("surveys/state.html", event=None, survey=None, state="unknown"), 404
    survey = db.session.get(Survey, invitation.survey_id)
    event = db.session.get(Event, survey.event_id)
    g.event_language = event.language
    posted = request.method == "POST"
    if invitation.submitted_at is not None:
        return state_page(event, survey, "answered", 409 if posted else 200)
    now = utcnow()
    if not services.is_open(survey, now):
        return state_page(event, survey, "closed" if services.has_closed(survey, now) else "not_yet_open")

    sessions = services.sessions_to_rate(survey, invitation)
    questions = survey.questions
    if not posted:
        data = form_data_from_answers(invitation.draft or {}, questions, sessions)
        form = build_answer_form(questions, sessions, data=data)
        return render_template("surveys/answer.html", event=event, survey=survey, form=form, sessions=sessions,
                               preview=False, token=token)

    form = build_answer_form(questions, sessions, formdata=request.form)
    if form.validate():
        answers = answers_from_form(form, questions, sessions)
        try:
            if request.form.get("action") == "save":
                errors = services.save_draft(invitation, answers, now)
                db.session.commit()
                if not errors:
                    flash(_("Your answers are saved. Come back with the same link to finish before the survey closes."),
                          "success")
                    return redirect(url_for("surveys.answer", token=token))
                apply_field_errors(form, errors)
            else:
                services.submit(invitation, answers, now)
                db.session.commit()
                flash(_("Thank you! Your answers were received."), "success")
                return redirect(url_for("surveys.answer", token=token))
        except services.AlreadyAnswered:
            db.session.rollback()
            return state_page(event, survey, "answered", 409)
        except services.SurveyClosed:
            db.session.rollback()
            return state_page(event, survey, "closed")
        except ExceptionGroup as group:
            db.session.rollback()
            apply_field_errors(form, list(group.exceptions))
    return render_template("surveys/answer.html", event=event, survey=survey, form=form, sessions=sessions,
                           preview=False, token=token), 422
