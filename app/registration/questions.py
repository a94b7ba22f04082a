"""The organiser's questions on the registration form, and the checks on the answers to them.

A question with answers is retired (hidden from the form), never deleted, so no answer is lost.
"""

from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.core.domain import FieldErrors
from app.events.models import Event
from app.extensions import db
from app.registration.errors import RegistrationError
from app.registration.models import Answer, Question, QuestionKind, Registration

CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
COPIED_FIELDS = ("kind", "label", "help_text", "required", "position", "choices")


def is_empty(value) -> bool:
    """An answer left blank: it is not stored."""
    return value in (None, "", [])


# Reading ---------------------------------------------------------------------------------

def active_questions(event: Event) -> list[Question]:
    """The questions the form asks now, in their order."""
    return list(
        db.session.execute(
            db.select(Question).filter_by(event_id=event.id, retired=False).order_by(Question.position, Question.id)
        ).scalars()
    )


def all_questions(event: Event) -> list[Question]:
    """Retired questions too: their answers still belong in lists and exports."""
    return list(
        db.session.execute(db.select(Question).filter_by(event_id=event.id).order_by(Question.position, Question.id)).scalars()
    )


def check_answers(event: Event, answers: dict[int, object], questions: list[Question] | None = None) -> None:
    """What the form layer cannot know: that choices and required answers fit the questions.

    Every unfit answer is reported at once, each at its field, as one ``FieldErrors``.
    """
    errors = []
    for question in active_questions(event) if questions is None else questions:
        value = answers.get(question.id)
        field_name = question.field_name
        if question.required and is_empty(value):
            errors.append(RegistrationError(_l("Please answer this question."), field_name))
        elif question.kind == QuestionKind.SINGLE_CHOICE and value and value not in question.choices:
            errors.append(RegistrationError(_l("Choose one of the options."), field_name))
        elif question.kind == QuestionKind.MULTIPLE_CHOICE and value and not set(value) <= set(question.choices):  # type: ignore[call-overload]  # value: a list from the form
            errors.append(RegistrationError(_l("Choose among the options."), field_name))
    FieldErrors.raise_if_any(errors)


# Writing answers -------------------------------------------------------------------------

def save_answers(registration: Registration, answers: dict[int, object]) -> None:
    """Store the given answers (checked already); a blank one removes an earlier answer."""
    existing = {answer.question_id: answer for answer in registration.answers}
    for question_id, value in answers.items():
        if question_id in existing:
            if is_empty(value):
                registration.answers.remove(existing[question_id])
            else:
                existing[question_id].value = value
        elif not is_empty(value):
            registration.answers.append(Answer(question_id=question_id, value=value))


# Writing questions -----------------------------------------------------------------------

def save_question(event: Event, question: Question | None, values: dict) -> Question:
    """Add a question (``question`` None) or change one; answers given earlier are kept."""
    kind = values["kind"]
    choices = [line.strip() for line in (values.get("choices") or "").splitlines() if line.strip()]
    if kind in CHOICE_KINDS and len(choices) < 2:
        raise RegistrationError(_l("A choice question needs at least two options, one per line."), "choices")
    if len(set(choices)) != len(choices):
        raise RegistrationError(_l("Each option must be different."), "choices")
    if question is None:
        question = Question(event_id=event.id)
        db.session.add(question)
    question.kind = kind
    question.label = values["label"].strip()
    question.help_text = (values.get("help_text") or "").strip()
    question.required = bool(values.get("required"))
    question.position = values.get("position") or 0
    question.choices = choices if kind in CHOICE_KINDS else []
    db.session.flush()
    audit.record("question.save", event=event, target=question.label)
    return question


def delete_question(event: Event, question: Question) -> bool:
    """Delete a question, or retire it when answers exist so that none is lost. True if deleted."""
    has_answers = db.session.execute(db.select(Answer.id).filter_by(question_id=question.id).limit(1)).first() is not None
    audit.record("question.delete", event=event, target=question.label, retired=has_answers)
    if has_answers:
        question.retired = True
        db.session.flush()
        return False
    db.session.delete(question)
    db.session.flush()
    return True


def restore_question(question: Question) -> None:
    """Put a retired question back on the form."""
    question.retired = False
    db.session.flush()


def copy_questions(source: Event, target: Event) -> None:
    """Copy the questions still in use (not retired) of ``source`` into ``target`` (cloning an event)."""
    for question in db.session.execute(db.select(Question).filter_by(event_id=source.id, retired=False)).scalars():
        db.session.add(Question(event_id=target.id, **{name: getattr(question, name) for name in COPIED_FIELDS}))
    db.session.flush()
