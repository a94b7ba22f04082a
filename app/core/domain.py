"""Domain errors raised by services and translated by views."""


class DomainError(Exception):
    """A business rule refused the change; ``message`` is fit to show to the user."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def apply_field_errors(form, errors: list[DomainError]) -> None:
    """Show service errors beside the fields they concern, like the form's own errors."""
    for error in errors:
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
        else:
            form.form_errors.append(error.message)
