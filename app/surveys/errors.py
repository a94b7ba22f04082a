"""The refusals of the survey rules: each a ``DomainError`` with a message for the user."""

from app.core.domain import DomainError


class SurveyError(DomainError):
    """A survey rule refused the change (the builder, invitations or an answer)."""


class SurveyClosed(SurveyError):
    """The survey is outside its answering window."""


class AlreadyAnswered(SurveyError):
    """The invitation's holder has already sent their answers."""
