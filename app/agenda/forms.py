"""Agenda forms: shape and format only; the rules live in ``agenda.services``."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import (
    BooleanField,
    ColorField,
    DateTimeLocalField,
    EmailField,
    FieldList,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from app.agenda.models import SessionKind
from app.agenda.services import KIND_LABELS
from app.agenda.speakers import PHOTO_MAX_BYTES
from app.core.validators import multiline_text, plain_text
from app.events.forms import DATETIME_FORMATS

SPEAKER_SLOTS = 4
HTTP_URL = r"^https?://\S+$"


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class TrackForm(FlaskForm):
    name = StringField(_l("Track name"), validators=[plain_text, DataRequired(), Length(max=100)])
    colour = ColorField(
        _l("Colour"), default="#2a6f97",
        validators=[DataRequired(), Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Choose a colour like #2a6f97."))],
    )
    submit = SubmitField(_l("Save track"))


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[plain_text, DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in SessionKind], default=SessionKind.TALK)
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[DataRequired()],
                                   description=_l("In the event's time zone."))
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[DataRequired()])
    room = StringField(_l("Room"), validators=[plain_text, Optional(), Length(max=100)])
    track_id = SelectField(_l("Track"), coerce=optional_int, choices=[], validate_choice=False)
    speakers = FieldList(
        SelectField(_l("Speaker"), coerce=optional_int, choices=[], validate_choice=False),
        label=_l("Speakers, in order"), min_entries=SPEAKER_SLOTS, max_entries=20,
    )
    capacity = IntegerField(
        _l("Seats for sign-up"),
        description=_l("Only for sessions participants must sign up for (workshops, expert consultations). Leave empty otherwise."),
        validators=[Optional(), NumberRange(min=1, max=10000)],
    )
    description = TextAreaField(_l("Description"), description=_l("Markdown is supported."),
                                validators=[multiline_text, Optional(), Length(max=20000)])
    cancelled = BooleanField(_l("Cancelled"), description=_l("Stays on the agenda and in calendars, marked as cancelled."))
    submit = SubmitField(_l("Save session"))

    def set_choices(self, tracks, speakers) -> None:
        self.track_id.choices = [SelectChoice("", _l("No track"))] + [SelectChoice(track.id, track.name) for track in tracks]
        speaker_choices = [SelectChoice("", _l("—"))] + [SelectChoice(speaker.id, speaker.name) for speaker in speakers]
        while len(self.speakers) < SPEAKER_SLOTS:
            self.speakers.append_entry()
        for number, entry in enumerate(self.speakers, start=1):
            entry.choices = speaker_choices
            entry.label.text = _l("Speaker %(number)d", number=number)

    def speaker_ids(self) -> list[int]:
        return [entry.data for entry in self.speakers if entry.data]


class CopyDayForm(FlaskForm):
    source = SelectField(_l("Copy the sessions of"), validators=[DataRequired()])
    target = SelectField(_l("To the day"), validators=[DataRequired()])
    submit = SubmitField(_l("Copy the day"))


def http_links(form, field):
    for line in (field.data or "").splitlines():
        if line.strip() and not re.match(HTTP_URL, line.strip()):
            raise ValidationError(_l("Each line must be one web address starting with https://."))


class SpeakerForm(FlaskForm):
    honorific = StringField(_l("Honorific"), description=_l("For example Dr or Prof."), validators=[plain_text, Optional(), Length(max=50)])
    name = StringField(_l("Name"), validators=[plain_text, DataRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[plain_text, Optional(), Length(max=200)])
    role = StringField(_l("Job title"), validators=[plain_text, Optional(), Length(max=200)])
    country = SelectField(_l("Country"), choices=[], validate_choice=False, validators=[Optional(), Length(max=2)])
    bio = TextAreaField(_l("Biography"), description=_l("Markdown is supported."),
                        validators=[multiline_text, Optional(), Length(max=20000)])
    photo = FileField(
        _l("Photo"),
        description=_l("JPEG, PNG or WebP, at most 5 MB. It is resized and its metadata (EXIF, location) removed."),
        validators=[
            FileAllowed(["jpg", "jpeg", "png", "webp"], _l("The photo must be a JPEG, PNG or WebP image.")),
            FileSize(PHOTO_MAX_BYTES, message=_l("The photo is too large: at most 5 MB, please.")),
        ],
    )
    remove_photo = BooleanField(_l("Remove the current photo"))
    website = URLField(_l("Website"), validators=[
        plain_text, Optional(), Length(max=500), Regexp(HTTP_URL, message=_l("Start the address with https://."))])
    links = TextAreaField(_l("Other links"), description=_l("Social media or publications, one web address per line."),
                          validators=[multiline_text, Optional(), Length(max=5000), http_links])
    email = EmailField(_l("Email (private)"), description=_l("For the organisers only; never shown publicly."),
                       validators=[plain_text, Optional(), Length(max=254), Email(check_deliverability=False)])
    registration_email = EmailField(
        _l("Registered as"),
        description=_l("The email address the speaker registered with, so their badge says Speaker. Optional."),
        validators=[plain_text, Optional(), Length(max=254), Email(check_deliverability=False)],
    )
    submit = SubmitField(_l("Save speaker"))
