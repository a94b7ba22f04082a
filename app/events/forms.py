"""Event forms: shape and format only; the rules live in ``events.services``."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.core.timezones import DEFAULT_TIMEZONE, is_valid_timezone, timezone_names
from app.core.validators import multiline_text, plain_text

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def valid_timezone(form, field):
    if not is_valid_timezone(field.data or ""):
        raise ValidationError(_l("Choose a time zone from the list, for example Europe/Budapest."))


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[plain_text, DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address"),
        description=_l("Lower-case letters, digits and hyphens. Leave empty to make one from the title."),
        validators=[plain_text,
            Optional(), Length(max=80), Regexp(SLUG_PATTERN, message=_l("Use lower-case letters, digits and single hyphens only."))
        ],
    )
    summary = StringField(_l("Short summary"), validators=[plain_text, Optional(), Length(max=500)])
    description = TextAreaField(
        _l("Description"), description=_l("Markdown is supported."), validators=[multiline_text, Optional(), Length(max=20000)]
    )
    venue_name = StringField(_l("Venue"), validators=[plain_text, Optional(), Length(max=200)])
    venue_address = StringField(_l("Venue address"), validators=[plain_text, Optional(), Length(max=500)])
    timezone = StringField(
        _l("Time zone"),
        default=DEFAULT_TIMEZONE,
        description=_l("The IANA name of the venue's time zone; all times below are in it."),
        validators=[plain_text, DataRequired(), Length(max=64), valid_timezone],
    )
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[InputRequired()])
    language = SelectField(_l("Language"), choices=[SelectChoice("hu", "Magyar"), SelectChoice("en", "English")], default="hu")
    capacity = IntegerField(
        _l("Capacity"),
        description=_l("Leave empty for no limit."),
        validators=[Optional(), NumberRange(min=1, max=100000)],
    )
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens"), format=DATETIME_FORMATS, validators=[Optional()],
        description=_l("Leave empty to open as soon as the event is published."),
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"), format=DATETIME_FORMATS, validators=[Optional()],
        description=_l("Leave empty to close when the event starts."),
    )
    requires_approval = BooleanField(_l("Registrations need the organiser's approval"))
    contact_email = EmailField(
        _l("Contact email"), validators=[plain_text, DataRequired(), Length(max=254), Email(check_deliverability=False)]
    )
    privacy_notice = TextAreaField(
        _l("Privacy notice"),
        description=_l("Shown to participants before they agree to it. Markdown is supported."),
        validators=[multiline_text, Optional(), Length(max=20000)],
    )
    retention_days = IntegerField(
        _l("Keep personal data for (days after the event)"),
        description=_l("Leave empty to keep it until you delete it."),
        validators=[Optional(), NumberRange(min=0, max=3650)],
    )
    submit = SubmitField(_l("Save"))

    def timezone_choices(self) -> tuple[str, ...]:
        return timezone_names()


class CloneEventForm(FlaskForm):
    title = StringField(_l("Title of the copy"), validators=[plain_text, DataRequired(), Length(max=200)])
    start_date = DateField(
        _l("First day of the copy"),
        description=_l("Every date of the agenda and registration moves by the same number of days."),
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Make a copy"))
