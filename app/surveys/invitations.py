"""Who is asked, and how: the audience, personal invitations and reminders, and erasure.

An invitation is the personal link (``/s/<token>``; only its hash and the nonce it is derived
from are stored). Its ``submitted_at`` is what stops a second answer, for anonymous surveys
too: an anonymous response is stored with no link back to the invitation, so nothing personal
can be reached from it, while the invitation still records that its holder has answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.checkin.models import CheckIn
from app.core.database import lock_row
from app.core.models import utcnow
from app.core.tokens import derived_token, hash_token, new_nonce
from app.extensions import db
from app.mail.services import queue_templated
from app.registration.models import Registration
from app.surveys.errors import SurveyClosed, SurveyError
from app.surveys.models import Survey, SurveyInvitation


def audience(survey: Survey) -> list[Registration]:
    """Who the survey is for: confirmed participants, checked in at least once unless all are asked."""
    query = db.select(Registration).where(Registration.event_id == survey.event_id, Registration.may_attend)
    if survey.invites_checked_in_only:
        query = query.where(sa.exists().where(CheckIn.registration_id == Registration.id))
    return list(db.session.execute(query.order_by(Registration.last_name, Registration.first_name, Registration.id)).scalars())


def create_invitation(survey: Survey, registration: Registration, now: datetime | None = None) -> tuple[SurveyInvitation, str]:
    """A personal link for one registration; returns the invitation and its token (never stored)."""
    nonce = new_nonce()
    token = invitation_token(nonce)
    invitation = SurveyInvitation(
        survey_id=survey.id, registration_id=registration.id, token_hash=hash_token(token), token_nonce=nonce,
        created_at=now or utcnow(), draft={},
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def invitation_token(nonce: str) -> str:
    return derived_token(current_app.config["SECRET_KEY"], "survey-link", nonce)


def invitation_by_token(token: str) -> SurveyInvitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        db.select(SurveyInvitation).filter_by(token_hash=hash_token(token))
    ).scalar_one_or_none()


def survey_link(token: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/s/{token}"


def _send(survey: Survey, registration: Registration, token: str, *, reminder: bool) -> None:
    event = survey.event
    if reminder:
        def subject():
            return _("Reminder: your feedback on %(title)s", title=event.title)
    else:
        def subject():
            return _("Your feedback on %(title)s", title=event.title)
    queue_templated(
        "survey_invitation", kind="survey_reminder" if reminder else "survey_invitation",
        recipient=registration.email, subject=subject, language=registration.language or event.language,
        context={"survey": survey, "link": survey_link(token), "reminder": reminder},
        event=event, registration=registration,
    )


@dataclass
class SendReport:
    invited: int = 0
    already_invited: int = 0


def _require_sendable(survey: Survey, now: datetime) -> None:
    if not survey.questions:
        raise SurveyError(_l("Add at least one question before sending invitations."))
    if survey.has_closed(now):
        raise SurveyClosed(_l("The survey has closed; no more invitations can be sent."))


def _invited_ids(survey: Survey) -> set[int]:
    return set(db.session.execute(
        db.select(SurveyInvitation.registration_id).filter_by(survey_id=survey.id)
    ).scalars())


def send_invitations(survey: Survey, now: datetime | None = None) -> SendReport:
    """Invite everyone in the audience who has no invitation yet, each by a personal email.

    The survey row is locked first, so two organisers pressing the button at once (or the
    command running alongside) cannot invite anyone twice; the unique key backs this up.
    """
    now = now or utcnow()
    survey = lock_row(Survey, survey.id)
    _require_sendable(survey, now)
    invited_ids = _invited_ids(survey)
    report = SendReport()
    for registration in audience(survey):
        if registration.id in invited_ids:
            report.already_invited += 1
            continue
        invitation, token = create_invitation(survey, registration, now)
        invitation.sent_at = now
        _send(survey, registration, token, reminder=False)
        report.invited += 1
    db.session.flush()
    return report


def send_reminders(survey: Survey, now: datetime | None = None) -> int:
    """Remind everyone invited who has not submitted yet.

    The reminder carries the same personal link as the invitation (derived again from the
    invitation's nonce), so a draft saved from the first email is found from either.
    """
    now = now or utcnow()
    survey = lock_row(Survey, survey.id)
    _require_sendable(survey, now)
    rows = db.session.execute(
        db.select(SurveyInvitation, Registration)
        .join(Registration, Registration.id == SurveyInvitation.registration_id)
        .where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.submitted_at.is_(None),
               Registration.erased_at.is_(None))
        .order_by(SurveyInvitation.id)
    ).all()
    for invitation, registration in rows:
        invitation.reminded_at = now
        _send(survey, registration, invitation_token(invitation.token_nonce), reminder=True)
    db.session.flush()
    return len(rows)


@dataclass
class InvitationStatus:
    invitation_id: int
    name: str
    email: str
    sent_at: datetime | None
    reminded_at: datetime | None
    submitted_at: datetime | None
    has_draft: bool


@dataclass
class InvitationOverview:
    invited: int
    answered: int
    audience_size: int
    not_yet_invited: int
    people: list[InvitationStatus]  # empty for anonymous surveys: only counts are shown

    @property
    def not_answered(self) -> int:
        return self.invited - self.answered

    @property
    def rate(self) -> float:
        return 100.0 * self.answered / self.invited if self.invited else 0.0


def invitation_overview(survey: Survey) -> InvitationOverview:
    invited, answered = db.session.execute(
        db.select(sa.func.count(SurveyInvitation.id), sa.func.count(SurveyInvitation.submitted_at))
        .filter_by(survey_id=survey.id)
    ).one()
    eligible = audience(survey)
    invited_ids = _invited_ids(survey)
    people = [] if survey.anonymous else _who_was_invited(survey)
    return InvitationOverview(
        invited=invited, answered=answered, audience_size=len(eligible),
        not_yet_invited=sum(1 for registration in eligible if registration.id not in invited_ids), people=people,
    )


def _who_was_invited(survey: Survey) -> list[InvitationStatus]:
    """Each invitation with its holder, those who have not answered first (never for anonymous surveys)."""
    rows = db.session.execute(
        db.select(SurveyInvitation, Registration)
        .outerjoin(Registration, Registration.id == SurveyInvitation.registration_id)
        .where(SurveyInvitation.survey_id == survey.id)
        .order_by(SurveyInvitation.submitted_at.is_not(None), Registration.last_name, Registration.first_name)
    ).all()
    people = []
    for invitation, registration in rows:
        erased = registration is None or registration.is_erased
        people.append(InvitationStatus(
            invitation_id=invitation.id,
            name=_("(personal data deleted)") if erased else registration.full_name,
            email="" if erased else registration.email,
            sent_at=invitation.sent_at, reminded_at=invitation.reminded_at,
            submitted_at=invitation.submitted_at, has_draft=bool(invitation.draft),
        ))
    return people


def forget_participant(registration: Registration) -> None:
    """Erasure: the person's answers stay, unlinked from them; an unsent draft is theirs and goes."""
    db.session.execute(
        sa.update(SurveyInvitation).where(SurveyInvitation.registration_id == registration.id)
        .values(registration_id=None, draft={}).execution_options(synchronize_session=False)
    )
