"""The respondent's survey page, ``/s/<token>``: answer, save a draft, or see why answering is not possible."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.domain import apply_field_errors
from app.core.models import utcnow
from app.core.views import commit_or_report
from app.surveys import answering
from app.surveys.errors import AlreadyAnswered, SurveyClosed
from app.surveys.forms import answers_from_form, build_answer_form, form_data_from_answers
from app.surveys.invitations import invitation_by_token
from app.surveys.models import SurveyWindow

bp = Blueprint("surveys", __name__)


def state_page(survey, *, answered: bool = False, window: SurveyWindow | None = None, status: int = 200):
    """Why the survey cannot be answered: already answered, outside its window, or (no survey) an unknown link."""
    event = survey.event if survey is not None else None
    return render_template("surveys/state.html", event=event, survey=survey, answered=answered,
                           window=window), status


def answer_page(survey, form, sessions, token, status: int = 200):
    return render_template("surveys/answer.html", event=survey.event, survey=survey, form=form, sessions=sessions,
                           preview=False, token=token), status


@bp.route("/s/<token>", methods=["GET", "POST"])
def answer(token):
    invitation = invitation_by_token(token)
    if invitation is None:
        return state_page(None, status=404)
    survey = invitation.survey
    g.event_language = survey.event.language
    posted = request.method == "POST"
    if invitation.submitted_at is not None:
        return state_page(survey, answered=True, status=409 if posted else 200)
    now = utcnow()
    window = survey.window(now)
    if not window.is_open:
        return state_page(survey, window=window)

    sessions = answering.sessions_to_rate(survey, invitation)
    questions = survey.questions
    if not posted:
        data = form_data_from_answers(invitation.draft or {}, questions, sessions)
        return answer_page(survey, build_answer_form(questions, sessions, data=data), sessions, token)

    form = build_answer_form(questions, sessions, formdata=request.form)
    if not form.validate():
        return answer_page(survey, form, sessions, token, 422)
    answers = answers_from_form(form, questions, sessions)
    if request.form.get("action") == "save":
        # A draft keeps the answers that pass; the others are shown beside their questions.
        saved = commit_or_report(lambda: answering.save_draft(invitation, answers, now), form=form)
        problems = saved.value or []
        if saved.ok and not problems:
            flash(_("Your answers are saved. Come back with the same link to finish before the survey closes."),
                  "success")
            return redirect(url_for("surveys.answer", token=token))
        apply_field_errors(form, problems)
        refusal = saved.error
    else:
        submitted = commit_or_report(lambda: answering.submit(invitation, answers, now), form=form,
                                     success=_("Thank you! Your answers were received."))
        if submitted.ok:
            return redirect(url_for("surveys.answer", token=token))
        refusal = submitted.error
    if isinstance(refusal, AlreadyAnswered):
        return state_page(survey, answered=True, status=409)
    if isinstance(refusal, SurveyClosed):
        return state_page(survey, window=SurveyWindow.CLOSED)
    return answer_page(survey, form, sessions, token, 422)
