"""Every model, imported once so Alembic and ``db.create_all`` see the whole schema."""

from app.agenda.models import AgendaSession, SessionSignup, SessionSpeaker, Speaker, Track
from app.audit.models import AuditEntry
from app.auth.models import EventMember, User
from app.checkin.models import CheckIn
from app.events.models import Event
from app.mail.models import OutboxMessage
from app.registration.models import Answer, Question, Registration
from app.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)

__all__ = [
    "AgendaSession", "Answer", "AuditEntry", "CheckIn", "Event", "EventMember", "OutboxMessage",
    "Question", "Registration", "SessionSignup", "SessionSpeaker", "Speaker", "Survey",
    "SurveyAnswer", "SurveyInvitation", "SurveyQuestion", "SurveyResponse", "Track", "User",
]
