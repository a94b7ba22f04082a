"""The one error family of the domain: every refusal a service makes is a ``DomainError``."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """A business rule refused the change; ``message`` is fit to show to the user.

    ``field`` names the form field the refusal concerns, so the view shows it beside that
    field; without one it is shown as a message for the whole form or page.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class FieldErrors(DomainError):
    """Several refusals found together (each with its field), reported in one go."""

    def __init__(self, errors: Iterable[DomainError]):
        self.errors = list(errors)
        first = self.errors[0] if self.errors else None
        super().__init__(first.message if first else "", first.field if first else None)

    @classmethod
    def raise_if_any(cls, errors: Iterable[DomainError]) -> None:
        errors = list(errors)
        if errors:
            raise cls(errors)


def errors_of(error: DomainError) -> list[DomainError]:
    """The single refusals inside ``error``: itself, or each of a ``FieldErrors``."""
    return list(error.errors) if isinstance(error, FieldErrors) else [error]


def apply_field_errors(form, errors: DomainError | Iterable[DomainError]) -> None:
    """Show service errors beside the fields they concern, like the form's own errors."""
    if isinstance(errors, DomainError):
        errors = errors_of(errors)
    for error in errors:
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
        else:
            form.form_errors.append(error.message)
