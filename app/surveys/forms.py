"""Survey forms: shape and format only; the rules live in ``surveys.builder`` and ``surveys.answering``."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.validators import multiline_text, plain_text
from app.surveys.models import MAX_LONG_TEXT, MAX_SHORT_TEXT, SCALES, STARS, SurveyAudience, SurveyQuestionKind

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
Kind = SurveyQuestionKind


def kind_labels() -> list[tuple[str, str]]:
    return [
        (Kind.RATING, _l("Rating, 1 to 5 stars")),
        (Kind.NPS, _l("Recommendation score, 0 to 10 (NPS)")),
        (Kind.SINGLE_CHOICE, _l("Single choice")),
        (Kind.MULTIPLE_CHOICE, _l("Multiple choice")),
        (Kind.YES_NO, _l("Yes or no")),
        (Kind.SHORT_TEXT, _l("Short text")),
        (Kind.LONG_TEXT, _l("Long text")),
        (Kind.SESSION_GRID, _l("Rate each session attended")),
    ]


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in kind_labels()]


def choices_of(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[plain_text, DataRequired(), Length(max=200)])
    introduction = TextAreaField(
        _l("Introduction"), description=_l("Shown above the questions. Markdown is supported."),
        validators=[multiline_text, Optional(), Length(max=5000)],
    )
    opens_at = DateTimeLocalField(
        _l("Opens"), format=DATETIME_FORMATS, validators=[Optional()],
        description=_l("In the event's time zone. Leave empty to open when the event ends."),
    )
    closes_at = DateTimeLocalField(
        _l("Closes"), format=DATETIME_FORMATS, validators=[Optional()],
        description=_l("Leave empty to close 14 days after it opens."),
    )
    anonymous = BooleanField(
        _l("Anonymous: store answers without any link to the participant"),
        description=_l("Only the number of people who answered is shown, never who. Cannot change once invitations are sent."),
    )
    audience = SelectField(
        _l("Who is invited"),
        choices=[SelectChoice(SurveyAudience.CHECKED_IN, _l("Participants who checked in")),
                 SelectChoice(SurveyAudience.CONFIRMED, _l("All confirmed participants"))],
        default=SurveyAudience.CHECKED_IN,
    )
    submit = SubmitField(_l("Save survey"))


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), choices=kind_choices, default=Kind.RATING)
    label = StringField(_l("Question"), validators=[plain_text, DataRequired(), Length(max=300)])
    help_text = StringField(_l("Help text"), validators=[plain_text, Optional(), Length(max=500)],
                            description=_l("Shown under the question."))
    section = StringField(_l("Section"), validators=[plain_text, Optional(), Length(max=200)],
                          description=_l("Questions with the same section are shown under one heading."))
    required = BooleanField(_l("An answer is required"))
    choices = TextAreaField(_l("Choices"), validators=[multiline_text, Optional(), Length(max=5000)],
                            description=_l("For single and multiple choice: one choice per line."))
    min_picks = IntegerField(_l("Minimum picks"), validators=[Optional(), NumberRange(min=0, max=100)],
                             description=_l("Multiple choice only. Leave empty for no minimum."))
    max_picks = IntegerField(_l("Maximum picks"), validators=[Optional(), NumberRange(min=1, max=100)],
                             description=_l("Multiple choice only. Leave empty for no maximum."))
    submit = SubmitField(_l("Save question"))

    def choice_list(self) -> list[str]:
        return [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass  # which picks are allowed is checked by the service, with a message beside the field


class ScaleField(RadioField):
    """A row of numbers (stars or 0-10) as radio buttons; any value passes here, the service checks it."""

    def pre_validate(self, form):
        pass


def star_label(number: int) -> Markup:
    return Markup('<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>').format(
        "★" * number, str(_l("%(count)d of 5", count=number))
    )


def no_rating_label() -> Markup:
    return Markup('<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>').format(str(_l("No rating")))


def build_answer_form(questions, sessions, formdata=None, data=None):
    """A form for one survey: a field per question, one per session in the rating grid.

    Field names are ``q<question id>`` and ``q<question id>_s<session id>``.
    """

    class AnswerForm(FlaskForm):
        pass

    for question in questions:
        name = question.field_name
        description = question.help_text or None
        if question.kind == Kind.RATING:
            field = ScaleField(question.label, choices=choices_of((str(n), star_label(n)) for n in STARS),
                               description=description, validators=[Optional()])
        elif question.kind == Kind.NPS:
            field = ScaleField(question.label, choices=choices_of((str(n), str(n)) for n in SCALES[Kind.NPS]),
                               description=description, validators=[Optional()])
        elif question.kind == Kind.SINGLE_CHOICE:
            field = ScaleField(question.label, choices=choices_of((choice, choice) for choice in question.choices),
                               description=description, validators=[Optional()])
        elif question.kind == Kind.MULTIPLE_CHOICE:
            field = MultiCheckboxField(question.label, choices=choices_of((choice, choice) for choice in question.choices),
                                       description=description, validators=[Optional()])
        elif question.kind == Kind.YES_NO:
            field = ScaleField(question.label, choices=choices_of([("yes", _l("Yes")), ("no", _l("No"))]),
                               description=description, validators=[Optional()])
        elif question.kind == Kind.SHORT_TEXT:
            field = StringField(question.label, description=description,
                                validators=[plain_text, Optional(), Length(max=MAX_SHORT_TEXT)])
        elif question.kind == Kind.LONG_TEXT:
            field = TextAreaField(question.label, description=description,
                                  validators=[multiline_text, Optional(), Length(max=MAX_LONG_TEXT)])
        else:  # the session rating grid: one row of stars per session
            for session in sessions:
                setattr(AnswerForm, f"{name}_s{session.id}", ScaleField(
                    session.title, validators=[Optional()],
                    choices=choices_of([("", no_rating_label()), *((str(n), star_label(n)) for n in STARS)]),
                ))
            field = StringField(question.label, description=description)  # carries the grid's label and errors
        setattr(AnswerForm, name, field)
    return AnswerForm(formdata=formdata, data=data)


def answers_from_form(form, questions, sessions) -> dict:
    """The form's values keyed by question id, as the service takes them."""
    answers: dict[str, object] = {}
    for question in questions:
        name = question.field_name
        if question.kind == Kind.SESSION_GRID:
            answers[str(question.id)] = {
                str(session.id): form[f"{name}_s{session.id}"].data for session in sessions
                if form[f"{name}_s{session.id}"].data not in (None, "", "None")
            }
        else:
            value = form[name].data
            answers[str(question.id)] = None if value == "None" else value
    return answers


def form_data_from_answers(answers: dict, questions, sessions) -> dict:
    """A saved draft as the form's initial data."""
    data = {}
    for question in questions:
        value = answers.get(str(question.id))
        name = question.field_name
        if value is None:
            continue
        if question.kind == Kind.SESSION_GRID:
            for session_id, rating in value.items():
                data[f"{name}_s{session_id}"] = str(rating)
        elif question.kind == Kind.YES_NO:
            data[name] = "yes" if value is True else "no" if value is False else value
        elif question.scale is not None:
            data[name] = str(value)
        else:
            data[name] = value
    return data
