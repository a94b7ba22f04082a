"""The demo survey of the past masterclass: every kind of question and about 25 responses.

Invitations are created directly for the confirmed registrations (no email goes out for a
2018 event) and the answers go through ``answering.submit``, as a respondent's would.
"""

import random
from datetime import timedelta

from app.agenda.models import SessionKind
from app.events import services as events
from app.extensions import db
from app.registration.models import Registration
from app.surveys import answering, builder
from app.surveys.invitations import create_invitation
from app.surveys.models import SurveyAudience, SurveyQuestionKind

Kind = SurveyQuestionKind
RESPONSES = 25

QUESTIONS = [
    (Kind.RATING, "Mennyire volt hasznos számára a mesterkurzus?", "Összkép", True, [], None, None, ""),
    (Kind.NPS, "Mennyire valószínű, hogy ajánlja a mesterkurzust egy kollégájának?", "Összkép", True, [], None, None,
     "0 = egyáltalán nem, 10 = nagyon valószínű"),
    (Kind.SINGLE_CHOICE, "Melyik nap volt hasznosabb?", "Program", False, ["Első nap", "Második nap", "Egyformán"], None, None, ""),
    (Kind.MULTIPLE_CHOICE, "Mi volt a legértékesebb?", "Program", True,
     ["Szakértői konzultációk", "Panelbeszélgetés", "Workshopok", "Kapcsolatépítés", "Helyszín és ellátás"], 1, 3,
     "Legfeljebb hármat jelöljön meg."),
    (Kind.SESSION_GRID, "Értékelje a programpontokat, amelyeken részt vett", "Program", False, [], None, None, ""),
    (Kind.YES_NO, "Részt venne a következő mesterkurzuson?", "Jövő", True, [], None, None, ""),
    (Kind.SHORT_TEXT, "Egy szóval: milyen volt?", "Jövő", False, [], None, None, ""),
    (Kind.LONG_TEXT, "Mit csináljunk másképp legközelebb?", "Jövő", False, [], None, None, ""),
]

WORDS = ["Inspiráló", "Hasznos", "Tartalmas", "Intenzív", "Gyakorlatias", "Nyitott", "Kiváló", "Fárasztó"]
IDEAS = [
    "Több idő jusson a szakértői konzultációkra.",
    "A workshopok után legyen rövid összefoglaló mindenkinek.",
    "Jó lenne előre megkapni a résztvevők listáját a kapcsolatépítéshez.",
    "Hosszabb ebédszünet, több idő beszélgetni.",
    "A panel lehetne interaktívabb, több kérdéssel a közönségtől.",
    "Online követés a kurzus után, például egy közös fórum.",
    "",
]


def load_survey_demo(slug: str) -> bool:
    """Create the survey of the event called ``slug`` with its responses; False when it exists already."""
    event = events.get_by_slug(slug)
    if event is None or builder.get_survey(event) is not None:
        return False
    survey = builder.save_survey(
        event, title="Visszajelzés: 2. CLUSTERIX Klaszter Mesterkurzus",
        introduction="Köszönjük, hogy részt vett! Válaszai alapján tervezzük a következő szolgáltatásainkat. "
                     "A kérdőív kitöltése néhány perc.",
        anonymous=False, audience=SurveyAudience.CHECKED_IN,
    )
    for kind, label, section, required, choices, min_picks, max_picks, help_text in QUESTIONS:
        builder.save_question(survey, None, builder.QuestionChanges(
            kind=kind, label=label, section=section, required=required, choices=choices,
            min_picks=min_picks, max_picks=max_picks, help_text=help_text,
        ))
    questions = {question.kind: question for question in survey.questions}
    opened = builder.default_window(event)[0]  # the survey opened when the event ended
    confirmed = db.session.execute(
        db.select(Registration).where(Registration.event_id == event.id, Registration.may_attend).order_by(Registration.id)
    ).scalars().all()
    # bandit B311: repeatable demo answers, not a secret
    rng = random.Random(2018)  # nosec B311
    for index, registration in enumerate(confirmed):
        sent = opened + timedelta(hours=1)
        invitation, _token = create_invitation(survey, registration, sent)
        invitation.sent_at = sent
        if index >= RESPONSES:
            continue
        sessions = answering.sessions_to_rate(survey, invitation)
        rated = rng.sample(sessions, k=min(len(sessions), rng.randint(3, 6)))
        answers = {
            str(questions[Kind.RATING].id): rng.choices([2, 3, 4, 5], weights=[1, 3, 9, 10])[0],
            str(questions[Kind.NPS].id): rng.choices(range(0, 11), weights=[0, 0, 0, 1, 1, 1, 2, 3, 6, 7, 6])[0],
            str(questions[Kind.SINGLE_CHOICE].id): rng.choices(questions[Kind.SINGLE_CHOICE].choices, weights=[3, 5, 4])[0],
            str(questions[Kind.MULTIPLE_CHOICE].id): rng.sample(questions[Kind.MULTIPLE_CHOICE].choices, k=rng.randint(1, 3)),
            str(questions[Kind.SESSION_GRID].id): {
                str(session.id): rng.choices([2, 3, 4, 5], weights=[1, 2, 5, 6 if session.kind == SessionKind.CONSULTATION else 4])[0]
                for session in rated
            },
            str(questions[Kind.YES_NO].id): rng.random() < 0.85,
            str(questions[Kind.SHORT_TEXT].id): rng.choice(WORDS) if rng.random() < 0.7 else "",
            str(questions[Kind.LONG_TEXT].id): rng.choice(IDEAS),
        }
        answering.submit(invitation, answers, now=opened + timedelta(hours=2 + 7 * index))
    db.session.flush()
    return True
