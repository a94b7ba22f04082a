"""The refusals of registration: every one a ``DomainError``, so views report them alike."""

from flask_babel import lazy_gettext as _l

from app.core.domain import DomainError
from app.registration.models import Registration


class RegistrationError(DomainError):
    """A registration rule refused the change; the message is fit to show the user."""


class RegistrationClosed(RegistrationError):
    """The event takes no registrations now (not published, not yet open, closed or over)."""


class AlreadyRegistered(RegistrationError):
    """The address is registered for the event already; ``registration`` is that registration."""

    def __init__(self, registration: Registration):
        super().__init__(_l("This email address is already registered for the event."), "email")
        self.registration = registration


class NoSeatFree(RegistrationError):
    """The organiser tried to give a seat, but every seat is taken."""
