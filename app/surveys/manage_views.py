"""Organiser pages of the feedback survey: the builder, its preview, invitations and results."""

from functools import wraps

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.models import Role
from app.core.authz import event_team_required
from app.core.exports import personal_data_export
from app.core.models import utcnow
from app.core.timezones import local_to_utc, utc_to_local_naive
from app.core.views import commit_or_report
from app.extensions import db
from app.surveys import answering
from app.surveys import builder as survey_builder
from app.surveys import invitations as survey_invitations
from app.surveys import results as survey_results
from app.surveys.forms import QuestionForm, SurveyForm, build_answer_form, kind_labels

bp = Blueprint("surveys_manage", __name__, url_prefix="/manage/events/<slug>/survey")


@bp.context_processor
def number_formatting():
    return {"number": survey_results.format_number}


def to_builder(event, anchor: str = ""):
    return redirect(url_for("surveys_manage.builder", slug=event.slug) + anchor)


def with_survey(view):
    """Hand the view the event's survey; without one, send the organiser to the builder to create it."""

    @wraps(view)
    def wrapped(event, **kwargs):
        survey = survey_builder.get_survey(event)
        if survey is None:
            flash(_("Create the survey first."), "info")
            return to_builder(event)
        return view(event, survey, **kwargs)

    return wrapped


def question_or_404(survey, question_id: int):
    question = survey_builder.get_question(survey, question_id) if survey else None
    if question is None:
        abort(404)
    return question


# Builder -------------------------------------------------------------------------------------


def local_form_time(moment, timezone: str):
    return utc_to_local_naive(moment, timezone) if moment else None


def utc_from_form(naive_local, timezone: str):
    return local_to_utc(naive_local, timezone) if naive_local else None


@bp.route("", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
def builder(event):
    survey = survey_builder.get_survey(event)
    shown = survey or survey_builder.new_survey(event)
    form = SurveyForm(obj=shown)
    if not form.is_submitted():
        form.opens_at.data = local_form_time(shown.opens_at, event.timezone)
        form.closes_at.data = local_form_time(shown.closes_at, event.timezone)
    if form.validate_on_submit():
        saved = commit_or_report(lambda: survey_builder.save_survey(
            event, title=form.title.data, introduction=form.introduction.data or "",
            opens_at=utc_from_form(form.opens_at.data, event.timezone),
            closes_at=utc_from_form(form.closes_at.data, event.timezone),
            anonymous=form.anonymous.data, audience=form.audience.data,
        ), form=form, success=_("The survey was saved."))
        if saved.ok:
            return to_builder(event)
    return render_template(
        "surveys/manage/builder.html", event=event, survey=survey, form=form,
        overview=survey_invitations.invitation_overview(survey) if survey else None,
        kinds=dict(kind_labels()), window=survey.window() if survey else None,
    )


def question_changes(form: QuestionForm) -> survey_builder.QuestionChanges:
    return survey_builder.QuestionChanges(
        kind=form.kind.data, label=form.label.data or "", help_text=form.help_text.data or "",
        section=form.section.data or "", required=form.required.data, choices=form.choice_list(),
        min_picks=form.min_picks.data, max_picks=form.max_picks.data,
    )


@bp.route("/questions/new", methods=["GET", "POST"])
@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@event_team_required(Role.ORGANISER)
@with_survey
def edit_question(event, survey, question_id=None):
    question = question_or_404(survey, question_id) if question_id is not None else None
    form = QuestionForm(obj=question)
    if question is not None and not form.is_submitted():
        form.choices.data = "\n".join(question.choices or [])
    if form.validate_on_submit():
        saved = commit_or_report(lambda: survey_builder.save_question(survey, question, question_changes(form)),
                                 form=form, success=_("The question was saved."))
        if saved.ok:
            return to_builder(event, "#questions")
    return render_template("surveys/manage/question_form.html", event=event, survey=survey, form=form,
                           question=question)


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@event_team_required(Role.ORGANISER)
def delete_question(event, question_id):
    question = question_or_404(survey_builder.get_survey(event), question_id)
    commit_or_report(lambda: survey_builder.delete_question(question), success=_("The question was deleted."))
    return to_builder(event, "#questions")


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@event_team_required(Role.ORGANISER)
def move_question(event, question_id):
    question = question_or_404(survey_builder.get_survey(event), question_id)
    survey_builder.move_question(question, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return to_builder(event, "#questions")


@bp.route("/preview")
@event_team_required(Role.ORGANISER)
@with_survey
def preview(event, survey):
    sessions = answering.sessions_to_rate(survey, None)
    form = build_answer_form(survey.questions, sessions)
    return render_template("surveys/answer.html", event=event, survey=survey, form=form, sessions=sessions,
                           preview=True, token=None)


# Invitations ---------------------------------------------------------------------------------


def send_and_tell(event, send_messages, sent, none_needed):
    """Queue the messages; say how many went (``sent(count)``) or why none was needed, or the refusal."""
    outcome = commit_or_report(send_messages)
    if outcome.ok and outcome.value:
        flash(sent(outcome.value), "success")
    elif outcome.ok:
        flash(none_needed, "info")
    return redirect(url_for("surveys_manage.invitations", slug=event.slug))


@bp.route("/send", methods=["POST"])
@event_team_required(Role.ORGANISER)
@with_survey
def send(event, survey):
    return send_and_tell(
        event, lambda: survey_invitations.send_invitations(survey).invited,
        lambda count: _("%(count)d invitations are on their way.", count=count),
        _("Everyone in the audience has already been invited."),
    )


@bp.route("/remind", methods=["POST"])
@event_team_required(Role.ORGANISER)
@with_survey
def remind(event, survey):
    return send_and_tell(
        event, lambda: survey_invitations.send_reminders(survey),
        lambda count: _("%(count)d reminders are on their way.", count=count),
        _("Everyone invited has answered; no reminder was needed."),
    )


@bp.route("/invitations")
@event_team_required(Role.ORGANISER)
@with_survey
def invitations(event, survey):
    return render_template("surveys/manage/invitations.html", event=event, survey=survey,
                           overview=survey_invitations.invitation_overview(survey), has_closed=survey.has_closed())


# Results -------------------------------------------------------------------------------------


@bp.route("/results")
@event_team_required(Role.ORGANISER)
@with_survey
def results(event, survey):
    return render_template("surveys/manage/results.html", event=event, survey=survey,
                           results=survey_results.results(survey))


@bp.route("/results/print")
@event_team_required(Role.ORGANISER)
@with_survey
def results_print(event, survey):
    return render_template("surveys/manage/results_print.html", event=event, survey=survey,
                           results=survey_results.results(survey), printed_at=utcnow())


@bp.route("/results.csv")
@personal_data_export
@event_team_required(Role.ORGANISER)
def results_csv(event):
    survey = survey_builder.get_survey(event)
    if survey is None:
        abort(404)
    return Response(
        survey_results.results_csv(survey).encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{event.slug}-survey-results.csv"',
            "Cache-Control": "no-store",
        },
    )
