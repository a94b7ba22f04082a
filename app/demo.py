"""Demo data: the 2018 CLUSTERIX masterclass that inspired the product, and its next edition.

Everything goes through the same services the web pages use, so the demo shows the
product as it behaves. Loading twice changes nothing.
"""

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont
from slugify import slugify

from app.agenda import services as agenda
from app.agenda import speakers as agenda_speakers
from app.agenda.models import SessionKind
from app.auth import services as accounts
from app.auth.models import Role
from app.checkin.demo import load_checkin_demo
from app.events import services as events
from app.events.models import EventStatus
from app.extensions import db
from app.mail import services as mail
from app.registration import questions as registration_questions
from app.registration import services as registrations
from app.registration.models import QuestionKind, Registration
from app.surveys.demo import load_survey_demo


def _people(group: str) -> list[tuple]:
    people = json.loads((Path(__file__).with_name("demo_people.json")).read_text(encoding="utf-8"))
    return [tuple(person) for person in people[group]]


TZ = "Europe/Budapest"
PAST_SLUG = "clusterix-masterclass-2018"
UPCOMING_SLUG = "clusterix-masterclass"
STUDY_VISIT_SLUG = "cluster-study-visit"
ACCOUNTS = (
    ("admin@example.com", "Site Administrator", True),
    ("organiser@example.com", "Szabó Katalin", False),
    ("staff@example.com", "Tóth Bence", False),
)

# The demo events are Hungarian-language events, so what the organiser typed is Hungarian too;
# the foreign experts' own bios stay in English.
PRIVACY_NOTICE = """A szervező az Ön nevét, elérhetőségeit és válaszait a rendezvény lebonyolításához,
a részvétel igazolásához a támogató (Interreg Europe) felé, valamint – ha hozzájárul – későbbi
rendezvényekre szóló meghívókhoz kezeli.

* Az adatokat a rendezvény után egy évig őrizzük, majd töröljük.
* Adatait a visszaigazoló e-mailben kapott személyes hivatkozáson megtekintheti, letöltheti, módosíthatja vagy törölheti.
* Kérdéseivel forduljon a szervezőhöz az oldalon megadott címen."""

DESCRIPTION = """Nemzetközi mesterkurzus klasztermenedzsereknek, **intenzív párbeszédre** építve:
a résztvevők bemutatják klaszterüket, kérdéseket tesznek fel, és hat európai ország
szakértőitől kapnak tanácsot saját, aktuális problémáikra.

A mesterkurzus a CLUSTERIX 2.0 projekt része, amelyet az Európai Unió az *Interreg Europe*
programon keresztül támogat."""

# The demo's people are data (app/demo_people.json), one list per group:
# past participants (family name, given name, organisation, job title) — Hungarian order for Hungarians;
# experts (name, honorific, organisation, role, country, bio); upcoming participants (+ country).
PAST_PARTICIPANTS = _people("past_participants")

EXPERTS = _people("experts")

UPCOMING_PARTICIPANTS = _people("upcoming_participants")


@dataclass
class DemoResult:
    created_events: list[str] = field(default_factory=list)
    existing_events: list[str] = field(default_factory=list)
    created_accounts: list[str] = field(default_factory=list)
    existing_accounts: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = []
        if self.created_events:
            lines.append("Loaded demo events: " + ", ".join(self.created_events))
        if self.existing_events:
            lines.append("Already present, left unchanged: " + ", ".join(self.existing_events))
        return "\n".join(lines)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(TZ)).astimezone(UTC)


def load_demo(password: str, today: date | None = None) -> DemoResult:
    result = DemoResult()
    users = {}
    for email, name, is_admin in ACCOUNTS:
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(email, password, name=name, is_admin=is_admin)
            result.created_accounts.append(email)
        else:
            result.existing_accounts.append(email)
        users[email] = user
    today = today or datetime.now(ZoneInfo(TZ)).date()

    if events.get_by_slug(PAST_SLUG) is None:
        _past_event(users)
        result.created_events.append(PAST_SLUG)
    else:
        result.existing_events.append(PAST_SLUG)
    if events.get_by_slug(UPCOMING_SLUG) is None:
        _upcoming_event(users, today + timedelta(days=60))
        result.created_events.append(UPCOMING_SLUG)
    else:
        result.existing_events.append(UPCOMING_SLUG)
    if events.get_by_slug(STUDY_VISIT_SLUG) is None:
        _study_visit(users, today + timedelta(days=40))
        result.created_events.append(STUDY_VISIT_SLUG)
    else:
        result.existing_events.append(STUDY_VISIT_SLUG)
    _demo_survey()
    _demo_checkin()
    db.session.flush()
    return result


def _demo_checkin() -> None:
    """The past event's participants checked in on both days; badges ready for the upcoming events."""
    load_checkin_demo(PAST_SLUG, (UPCOMING_SLUG, STUDY_VISIT_SLUG), "staff@example.com")


def _demo_survey() -> None:
    """The past event's feedback survey with its responses (only once)."""
    load_survey_demo(PAST_SLUG)


def _create_event(users, slug: str, title: str, first_day: date, *, capacity, opens, closes, summary: str, approval=False):
    changes = events.EventChanges({
        "title": title,
        "slug": slug,
        "summary": summary,
        "description": DESCRIPTION,
        "venue_name": "Hotel Benczúr",
        "venue_address": "Budapest, Benczúr utca 35, 1068",
        "timezone": TZ,
        "language": "hu",
        "starts_at": datetime.combine(first_day, time(9, 0)),
        "ends_at": datetime.combine(first_day + timedelta(days=1), time(17, 0)),
        "capacity": capacity,
        "registration_opens_at": opens,
        "registration_closes_at": closes,
        "requires_approval": approval,
        "contact_email": "organiser@example.com",
        "privacy_notice": PRIVACY_NOTICE,
        "retention_days": 365,
    })
    event = events.save_event(None, changes, creator=users["organiser@example.com"])
    accounts.add_team_member(event, "staff@example.com", Role.STAFF)
    return event


def _agenda(event, first_day: date) -> None:
    """Tracks, speakers and sessions, saved as the organiser's agenda pages save them."""
    main_track = agenda.save_track(event, None, "Plenáris", "#0b5394")
    workshop_track = agenda.save_track(event, None, "Műhelyek", "#6a329f")
    speakers = [
        agenda_speakers.save_speaker(event, None, agenda_speakers.SpeakerChanges(
            name=name, honorific=honorific, organisation=organisation, role=role, country=country, bio=bio,
            photo=_portrait(name, index)))
        for index, (name, honorific, organisation, role, country, bio) in enumerate(EXPERTS)
    ]
    day2 = first_day + timedelta(days=1)
    plan = [
        (first_day, 9, 0, 9, 30, "Regisztráció és kávé", SessionKind.BREAK, "Előtér", None, []),
        (first_day, 9, 30, 10, 15, "Köszöntő és bemutatkozás: kik vagyunk itt?", SessionKind.TALK, "A terem", main_track, [0]),
        (first_day, 10, 15, 11, 0, "Klaszterkiválóság Európában: mit kér a minősítés?", SessionKind.TALK, "A terem", main_track, [1]),
        (first_day, 11, 0, 11, 20, "Kávészünet", SessionKind.BREAK, "Előtér", None, []),
        (first_day, 11, 20, 12, 30, "Kerekasztal: kis klaszterek nemzetköziesítése", SessionKind.PANEL, "A terem", main_track, [2, 4, 5]),
        (first_day, 12, 30, 13, 30, "Ebéd", SessionKind.BREAK, "Étterem", None, []),
        (first_day, 13, 30, 15, 0, "Műhely: a klaszterek hatásának mérése", SessionKind.WORKSHOP, "B terem", workshop_track, [0]),
        (first_day, 13, 30, 15, 0, "Műhely: a kutatási eredménytől a termékig", SessionKind.WORKSHOP, "C terem", workshop_track, [3]),
        (first_day, 15, 30, 17, 0, "Kapcsolatépítés: klaszterpiactér", SessionKind.NETWORKING, "Előtér", None, []),
        (day2, 9, 0, 10, 0, "Tartós támogatási programok tervezése", SessionKind.TALK, "A terem", main_track, [5]),
        (day2, 10, 0, 10, 20, "Kávészünet", SessionKind.BREAK, "Előtér", None, []),
        (day2, 12, 0, 13, 0, "Ebéd", SessionKind.BREAK, "Étterem", None, []),
        (day2, 15, 30, 16, 30, "Záró kör: mit viszünk haza?", SessionKind.TALK, "A terem", main_track, [0, 1]),
    ]
    for day, h1, m1, h2, m2, title, kind, room, track, speaker_indexes in plan:
        agenda.save_session(event, None, agenda.SessionChanges(
            title=title, kind=kind, room=room, track_id=track.id if track else None,
            starts_at=_wall_clock(day, h1, m1), ends_at=_wall_clock(day, h2, m2),
            capacity=15 if kind == SessionKind.WORKSHOP else None, speaker_ids=[speakers[i].id for i in speaker_indexes],
        ))
    # Plans change: a cancelled session shows how the agenda and calendars mark it.
    visit, _warnings = agenda.save_session(event, None, agenda.SessionChanges(
        title="Látogatás egy budapesti klaszterinkubátorban", kind=SessionKind.NETWORKING,
        room="Busz a szálloda bejáratától", starts_at=_wall_clock(day2, 13, 30), ends_at=_wall_clock(day2, 15, 0),
        description="Elmarad: az inkubátor idén nem tud fogadni minket.",
    ))
    agenda.set_cancelled(visit, True)
    # Twenty-minute one-to-one consultations with each expert, in two rooms, day two.
    for index, speaker in enumerate(speakers):
        start = _wall_clock(day2, 10, 20) + timedelta(minutes=20 * (index // 2))
        for slot in range(2):
            begins = start + timedelta(minutes=60 * slot)
            agenda.save_session(event, None, agenda.SessionChanges(
                title=f"Szakértői konzultáció: {speaker.name}", kind=SessionKind.CONSULTATION,
                room=f"{index % 2 + 1}. tárgyaló", starts_at=begins, ends_at=begins + timedelta(minutes=20), capacity=3,
                speaker_ids=[speaker.id],
            ))


def _wall_clock(day: date, hour: int, minute: int = 0) -> datetime:
    """A time as the organiser types it: on the event's wall clock (the agenda forms' input)."""
    return datetime.combine(day, time(hour, minute))


PORTRAIT_COLOURS = ("#0b5394", "#6a329f", "#38761d", "#b45f06", "#990000", "#134f5c")


def _portrait(name: str, index: int) -> bytes:
    """A speaker photo drawn at load time (initials on a colour), uploaded as the speaker page uploads one."""
    image = Image.new("RGB", (480, 480), PORTRAIT_COLOURS[index % len(PORTRAIT_COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((140, 70, 340, 270), fill="#f3e3d3")
    draw.ellipse((70, 290, 410, 620), fill="#f3e3d3")
    initials = "".join(part[0] for part in name.split()[:2])
    draw.text((240, 170), initials, fill="#333333", font=ImageFont.load_default(size=90), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _past_event(users) -> None:
    first_day = date(2018, 9, 25)
    event = _create_event(
        users, PAST_SLUG, "2nd CLUSTERIX Cluster Masterclass", first_day, capacity=30,
        opens=datetime(2018, 8, 1, 9, 0), closes=datetime(2018, 9, 21, 17, 0),
        summary="Két nap párbeszéd magyar klaszterek és hat európai ország szakértői között.",
    )
    _agenda(event, first_day)
    events.set_status(event, EventStatus.PUBLISHED)
    for index, (family, given, organisation, job) in enumerate(PAST_PARTICIPANTS):
        registered_at = local(date(2018, 8, 6), 9) + timedelta(hours=31 * index)
        registrations.register(
            event,
            registrations.Registrant(first_name=given, last_name=family, email=_demo_email(given, family),
                                     organisation=organisation, job_title=job, country="HU", language="hu"),
            registrations.Consents(privacy=True, photo=index % 3 != 0), by_organiser=True, now=registered_at,
        )
    # The 2018 confirmations went out long ago: show them as delivered in the outbox.
    registered = dict(db.session.execute(
        db.select(Registration.id, Registration.created_at).where(Registration.event_id == event.id)
    ).all())
    mail.record_as_sent(event.id, registered, timedelta(seconds=4))
    events.set_status(event, EventStatus.ARCHIVED)


def _upcoming_event(users, first_day: date) -> None:
    event = _create_event(
        users, UPCOMING_SLUG, "3rd CLUSTERIX Cluster Masterclass", first_day, capacity=30,
        opens=None, closes=datetime.combine(first_day - timedelta(days=3), time(23, 59)),
        summary="Szakértői tanács klasztere saját kérdéseire, Budapesten, hat ország szakértőivel.",
    )
    _agenda(event, first_day)
    questions = _questions(event)
    events.set_status(event, EventStatus.PUBLISHED)
    topics = questions[0].choices
    for index, (family, given, organisation, job, country) in enumerate(UPCOMING_PARTICIPANTS):
        registrations.register(
            event,
            registrations.Registrant(first_name=given, last_name=family, email=_demo_email(given, family),
                                     organisation=organisation, job_title=job, country=country,
                                     language="hu" if country == "HU" else "en"),
            registrations.Consents(privacy=True, photo=True, future_events=index % 2 == 0),
            answers={questions[0].id: topics[index % len(topics)], questions[1].id: ["vegetáriánus", "", "gluténmentes"][index % 3],
                     questions[2].id: index % 4 == 0},
            send_email=False,  # demo people have no mailboxes
        )


def _questions(event):
    specs = [
        {"kind": QuestionKind.SINGLE_CHOICE, "label": "Melyik témáról beszélne legszívesebben a szakértőkkel?",
         "choices": "Nemzetköziesítés\nKlaszterkiválósági minősítés\nFinanszírozás és üzleti modell\nHatásmérés",
         "required": True, "position": 1},
        {"kind": QuestionKind.SHORT_TEXT, "label": "Étkezési igények", "help_text": "Az ebédekhez és a kávészünetekhez.",
         "position": 2},
        {"kind": QuestionKind.YES_NO, "label": "Kér részvételi igazolást?", "position": 3},
    ]
    return [registration_questions.save_question(event, None, spec) for spec in specs]


def _study_visit(users, first_day: date) -> None:
    """A small event that is full, with a waiting list and registrations awaiting approval."""
    event = _create_event(
        users, STUDY_VISIT_SLUG, "Klasztermenedzsment tanulmányút", first_day, capacity=8,
        opens=None, closes=datetime.combine(first_day - timedelta(days=7), time(23, 59)),
        summary="Kiscsoportos látogatás három magyar klaszternél. A helyeket a szervezők hagyják jóvá.", approval=True,
    )
    events.set_status(event, EventStatus.PUBLISHED)
    people = [(family, given, organisation, job, "HU") for family, given, organisation, job in PAST_PARTICIPANTS[:11]]
    people += UPCOMING_PARTICIPANTS[8:10]
    for index, (family, given, organisation, job, country) in enumerate(people):
        registrant = registrations.Registrant(first_name=given, last_name=family, email=_demo_email(given, family),
                                              organisation=organisation, job_title=job, country=country,
                                              language="hu" if country == "HU" else "en")
        # The first eleven were approved as they came (eight seats, then the waiting list); two still wait.
        result = registrations.register(event, registrant, registrations.Consents(privacy=True), send_email=False)
        if index < 11:
            registrations.approve(result.registration, notify=False)
    db.session.flush()


def _demo_email(given: str, family: str) -> str:
    return f"{slugify(given)}.{slugify(family)}@example.org".replace("-", ".")
