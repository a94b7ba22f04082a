"""Registration forms: shape and format; the rules are in ``registration.services``."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.i18n import country_choices
from app.core.validators import NoControlCharacters, max_length, phone_number, required, valid_email
from app.registration.messages import ALL_ACTIVE
from app.registration.models import KIND_LABELS, QuestionKind, RegistrationStatus

TEXT = [NoControlCharacters()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CountryField(SelectField):
    """ISO 3166 countries, named in the visitor's language."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)

    def iter_choices(self):
        self.choices = [SelectChoice("", _l("Choose a country"))] + [SelectChoice(code, name) for code, name in country_choices()]
        return super().iter_choices()

    def pre_validate(self, form):
        codes = {code for code, _name in country_choices()}
        if self.data and self.data not in codes:
            raise ValidationError(_l("Choose a country from the list."))


class ParticipantDetailsForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[required(), max_length(100), *TEXT])
    last_name = StringField(_l("Last name"), validators=[required(), max_length(100), *TEXT])
    email = EmailField(_l("Email"), validators=[required(), max_length(254), *TEXT, valid_email()])
    organisation = StringField(_l("Organisation"), validators=[required(), max_length(200), *TEXT])
    job_title = StringField(_l("Job title"), validators=[Optional(), max_length(200), *TEXT])
    country = CountryField(_l("Country"), validators=[DataRequired(message=_l("Choose a country from the list."))])
    phone = TelField(_l("Phone (optional)"), validators=[Optional(), max_length(50), *TEXT, phone_number])


class RegistrationForm(ParticipantDetailsForm):
    privacy_consent = BooleanField(
        _l("I have read the privacy notice and agree to the processing of my data for this event."),
        validators=[DataRequired(message=_l("Please agree to the privacy notice to register."))],
    )
    photo_consent = BooleanField(_l("Photos in which I appear may be published."))
    future_events_consent = BooleanField(_l("Tell me about future events of the organiser."))
    submit = SubmitField(_l("Register"))


class EditRegistrationForm(ParticipantDetailsForm):
    photo_consent = BooleanField(_l("Photos in which I appear may be published."))
    future_events_consent = BooleanField(_l("Tell me about future events of the organiser."))
    submit = SubmitField(_l("Save changes"))


class AddParticipantForm(ParticipantDetailsForm):
    language = SelectField(_l("Language of their emails"), choices=[SelectChoice("hu", "Magyar"), SelectChoice("en", "English")])
    privacy_consent = BooleanField(
        _l("The participant has agreed to the privacy notice."),
        validators=[DataRequired(message=_l("A participant can only be added with their agreement to the privacy notice."))],
    )
    submit = SubmitField(_l("Add participant"))


def field_for_question(question):
    """The form field that asks one organiser-defined question."""
    is_required = question.required
    label, description = question.label, question.help_text or None
    presence = [InputRequired(message=_l("Please answer this question."))] if is_required else [Optional()]
    kind = question.kind
    if kind == QuestionKind.LONG_TEXT:
        return TextAreaField(label, description=description,
                             validators=[*presence, max_length(5000), NoControlCharacters(allow_line_breaks=True)])
    if kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(label, description=description, choices=[SelectChoice(c, c) for c in question.choices],
                          validators=presence, validate_choice=True)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        validators = [DataRequired(message=_l("Choose at least one."))] if is_required else [Optional()]
        return MultiCheckboxField(label, description=description, choices=[SelectChoice(c, c) for c in question.choices],
                                  validators=validators)
    if kind == QuestionKind.YES_NO:
        return RadioField(label, description=description, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                          validators=presence)
    if kind == QuestionKind.COUNTRY:
        return CountryField(label, description=description, validators=presence)
    return StringField(label, description=description, validators=[*presence, max_length(500), *TEXT])


def with_questions(form_class, questions):
    """A subclass of ``form_class`` with one field per question, placed before the consents."""

    # The base is a parameter (the public form or the participant's edit form), which a type checker
    # cannot follow as a base class.
    class FormWithQuestions(form_class):  # type: ignore[valid-type,misc]
        pass

    for question in questions:
        setattr(FormWithQuestions, question.field_name, field_for_question(question))
    return FormWithQuestions


def answers_from_form(form, questions) -> dict[int, object]:
    answers = {}
    for question in questions:
        value = getattr(form, question.field_name).data
        if question.kind == QuestionKind.YES_NO:
            value = {"yes": True, "no": False}.get(value)
        elif isinstance(value, str):
            value = value.strip()
        answers[question.id] = value
    return answers


def answer_to_form_value(question, value):
    if question.kind == QuestionKind.YES_NO and value is not None:
        return "yes" if value else "no"
    return value


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), validators=[required(), max_length(300), *TEXT])
    kind = SelectField(_l("Kind of answer"), choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()])
    choices = TextAreaField(
        _l("Options"), description=_l("For choice questions: one option per line."),
        validators=[Optional(), max_length(5000), NoControlCharacters(allow_line_breaks=True)],
    )
    help_text = StringField(_l("Help text"), validators=[Optional(), max_length(500), *TEXT])
    required = BooleanField(_l("An answer is required"))
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Save question"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l("Columns: first_name, last_name, email, organisation, job_title, country (ISO code), phone, language."),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
    )
    submit = SubmitField(_l("Preview import"))


class MessageForm(FlaskForm):
    status = SelectField(_l("Send to"), choices=[
        SelectChoice(RegistrationStatus.CONFIRMED, _l("Confirmed participants")),
        SelectChoice(RegistrationStatus.WAITLISTED, _l("Waiting list")),
        SelectChoice(RegistrationStatus.PENDING, _l("Awaiting approval")),
        SelectChoice(ALL_ACTIVE, _l("Everyone confirmed, waiting or pending")),
    ])
    subject = StringField(_l("Subject"), validators=[required(), max_length(200), *TEXT])
    body = TextAreaField(_l("Message"), validators=[required(), max_length(20000), NoControlCharacters(allow_line_breaks=True)])
    submit = SubmitField(_l("Send"))


def with_session_choices(form_class, options: list[tuple[int, str]]):
    """Add the workshops and consultations that take sign-ups, as checkboxes, when there are any."""
    if not options:
        return form_class

    class FormWithSessions(form_class):
        sessions = MultiCheckboxField(
            _l("Workshops and expert consultations"),
            description=_l("Seats are limited and go to confirmed participants first come, first served."),
            choices=[SelectChoice(str(session_id), label) for session_id, label in options],
            validators=[Optional()],
        )

    return FormWithSessions
