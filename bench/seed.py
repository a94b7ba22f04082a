"""A large event, fast: the data the benchmark and the query-count tests run on.

The event, its team, tracks and survey questions go through the services; the bulk rows
(registrations, answers, speakers, sessions, invitations, responses) are inserted with the
models' own tables in a few executemany round trips. Seeding is not what is measured.

    seed_event(app, Size())          # 5,000 registrations, 2 days, 60 sessions, 80 speakers, 2,000 responses
    seed_event(app, Size.small())    # a handful of each, for the query-count tests
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

PASSWORD = "benchmark-password"
ORGANISER = "organiser@bench.example"
STAFF = "staff@bench.example"

FIRST = ["Győző", "Éva", "Ildikó", "Ádám", "Zsófia", "Örs", "Réka", "Bálint", "Enikő", "Lőrinc", "Anna", "Jürgen",
         "Chiara", "Ștefan", "Iñaki", "Åsa", "Łukasz", "Ioana", "Tereza", "Helmut"]
LAST = ["Őze", "Kovács", "Szűcs", "Nagy", "Horváth", "Kiss", "Tóth", "Varga", "Molnár", "Farkas", "Groß", "Esposito",
        "Țurcanu", "Muñoz", "Öberg", "Żółć", "Dumitrescu", "Novák", "Gruß", "Balogh"]
ORGS = ["Pannon Autóipari Klaszter", "Nemzeti Klaszterszövetség", "IKT Klaszter Budapest", "Zöld Energia Klaszter",
        "Flanders Cluster Office", "Cluster GAIA", "Vinnova", "Transylvania IT Cluster"]
COUNTRIES = ["HU", "HU", "HU", "DE", "AT", "RO", "PL", "CZ", "IT", "ES", "SE", "BE"]
WORDS = ["Inspiráló", "Hasznos", "Tartalmas", "Intenzív", "Gyakorlatias", "Nyitott", "Kiváló"]


@dataclass(frozen=True)
class Size:
    registrations: int = 5000
    sessions: int = 60
    speakers: int = 80
    responses: int = 2000
    tracks: int = 4
    days: int = 2

    @classmethod
    def small(cls) -> Size:
        return cls(registrations=6, sessions=3, speakers=2, responses=2, tracks=1)

    @classmethod
    def medium(cls) -> Size:
        return cls(registrations=90, sessions=14, speakers=17, responses=45, tracks=3)


def _event_start(days_ahead: int) -> datetime:
    """Naive local wall-clock start (as the event form gives it): today 00:00 + days_ahead."""
    today = datetime.now(UTC).date() + timedelta(days=days_ahead)
    return datetime.combine(today, time(0, 0))


def ensure_accounts():
    from app.auth import services as accounts
    from app.extensions import db

    for email, name in ((ORGANISER, "Bench Organiser"), (STAFF, "Bench Staff")):
        if accounts.find_user(email) is None:
            accounts.create_user(email, PASSWORD, name=name)
    db.session.flush()
    return accounts.find_user(ORGANISER)


def seed_event(app, size: Size = Size(), *, slug: str = "bench", days_ahead: int = 0) -> dict:
    """Create the event ``slug`` with ``size`` rows of everything; returns the badge secrets and ids.

    With ``days_ahead=0`` the event runs today and tomorrow (event-local), so scans check in.
    """
    from app.agenda import services as agenda
    from app.agenda.models import AgendaSession, SessionKind, SessionSignup, SessionSpeaker, Speaker
    from app.auth import services as accounts
    from app.auth.models import Role
    from app.core.timezones import local_to_utc
    from app.core.tokens import hash_token, new_badge_secret, new_nonce, new_token
    from app.events import services as events
    from app.extensions import db
    from app.registration import questions as registration_questions
    from app.registration.models import Answer, Registration
    from app.surveys import builder as surveys
    from app.surveys.models import SurveyAnswer, SurveyInvitation, SurveyQuestionKind, SurveyResponse

    rng = random.Random(2018)
    with app.test_request_context():
        owner = ensure_accounts()
        start = _event_start(days_ahead)
        event = events.save_event(None, events.EventChanges({
            "title": f"Benchmark Masterclass {slug}", "slug": slug, "timezone": "Europe/Budapest", "language": "en",
            "summary": "Two days of intensive dialogue for cluster managers.",
            "description": "An international masterclass built on **intensive dialogue**.\n\n" * 5,
            "venue_name": "Városháza", "venue_address": "Győr, Városház tér 1",
            "starts_at": start, "ends_at": start + timedelta(days=size.days - 1, hours=23, minutes=59),
            "capacity": None, "contact_email": ORGANISER, "requires_approval": False,
            "privacy_notice": "We keep your data for a year.",
        }), creator=owner)
        events.set_status(event, "published")
        accounts.add_team_member(event, STAFF, Role.STAFF)
        tracks = [agenda.save_track(event, None, f"Track {n + 1}", "#2a6f97") for n in range(size.tracks)]
        questions = [
            registration_questions.save_question(event, None, {
                "kind": "single_choice", "label": "Diet", "choices": "None\nVegetarian\nVegan", "required": False, "help_text": ""}),
            registration_questions.save_question(event, None, {
                "kind": "short_text", "label": "Your cluster's main challenge", "choices": "", "required": False, "help_text": ""}),
        ]
        db.session.flush()
        now = datetime.now(UTC)

        # Registrations: mostly confirmed, a waiting list, some cancelled.
        waitlisted = size.registrations // 25
        cancelled = size.registrations // 50
        secrets = [new_badge_secret() for _ in range(size.registrations)]
        rows = []
        for i in range(size.registrations):
            status, position = "confirmed", None
            if i >= size.registrations - cancelled:
                status = "cancelled"
            elif i >= size.registrations - cancelled - waitlisted:
                status, position = "waitlisted", i - (size.registrations - cancelled - waitlisted) + 1
            rows.append({
                "event_id": event.id, "status": status, "first_name": f"{FIRST[i % len(FIRST)]}",
                "last_name": f"{LAST[(i // len(FIRST)) % len(LAST)]} {i:05d}", "email": f"p{i}@{slug}.example.org",
                "organisation": ORGS[i % len(ORGS)], "job_title": "Cluster manager", "country": COUNTRIES[i % len(COUNTRIES)],
                "language": "hu" if i % 3 else "en", "manage_token_hash": hash_token(new_token()),
                "manage_token_nonce": new_nonce(), "badge_secret": secrets[i] if status == "confirmed" else None,
                "waitlist_position": position, "consent_privacy_at": now, "consent_privacy_version": 1,
                "consent_photo_at": now if i % 2 else None, "created_at": now - timedelta(minutes=i), "updated_at": now,
                "status_changed_at": now,
            })
        db.session.execute(sa.insert(Registration), rows)
        registration_ids = list(db.session.execute(
            db.select(Registration.id).filter_by(event_id=event.id).order_by(Registration.id)).scalars())
        confirmed_ids = registration_ids[: size.registrations - cancelled - waitlisted]
        db.session.execute(sa.insert(Answer), [
            row for rid in registration_ids for row in (
                {"registration_id": rid, "question_id": questions[0].id, "value": rng.choice(["None", "Vegetarian", "Vegan"])},
                {"registration_id": rid, "question_id": questions[1].id, "value": rng.choice(WORDS)},
            )
        ])

        # Speakers and sessions over the days, 08:00-18:00 local, in parallel tracks.
        db.session.execute(sa.insert(Speaker), [{
            "event_id": event.id, "name": f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i}", "honorific": "Dr" if i % 4 == 0 else "",
            "organisation": ORGS[i % len(ORGS)], "role": "Expert", "country": COUNTRIES[i % len(COUNTRIES)],
            "bio": "Twenty years of advising regional governments on **cluster programmes**.", "website": "https://example.org/",
            "links": [], "created_at": now, "updated_at": now,
        } for i in range(size.speakers)])
        speaker_ids = list(db.session.execute(
            db.select(Speaker.id).filter_by(event_id=event.id).order_by(Speaker.id)).scalars())
        per_day = -(-size.sessions // size.days)
        session_rows = []
        for i in range(size.sessions):
            day, slot = divmod(i, per_day)
            track = tracks[slot % len(tracks)]
            begins = local_to_utc(start + timedelta(
                days=day, hours=8 + (slot // len(tracks)) * 10 / max(1, -(-per_day // len(tracks)))), "Europe/Budapest")
            kind = list(SessionKind)[i % len(SessionKind)]
            session_rows.append({
                "event_id": event.id, "title": f"Session {i + 1}: clusters and {WORDS[i % len(WORDS)].lower()} dialogue",
                "description": "Participants introduce their clusters and ask the experts.", "kind": kind,
                "starts_at": begins, "ends_at": begins + timedelta(minutes=45), "room": f"Room {slot % len(tracks) + 1}",
                "track_id": track.id, "capacity": 40 if kind == SessionKind.WORKSHOP else None, "cancelled": False,
                "sequence": 0, "created_at": now, "updated_at": now,
            })
        db.session.execute(sa.insert(AgendaSession), session_rows)
        sessions = list(db.session.execute(
            db.select(AgendaSession.id, AgendaSession.capacity).filter_by(event_id=event.id).order_by(AgendaSession.id)).all())
        links = []
        for n, (session_id, _capacity) in enumerate(sessions):
            for position in range(2 if n % 3 == 0 else 1):
                links.append({"session_id": session_id, "speaker_id": speaker_ids[(n + position * 7) % len(speaker_ids)],
                              "position": position})
        if speaker_ids:
            db.session.execute(sa.insert(SessionSpeaker), links)
        signups = [{"session_id": session_id, "registration_id": rid, "created_at": now}
                   for session_id, capacity in sessions if capacity
                   for rid in confirmed_ids[session_id % 7::97][:capacity]]
        if signups:
            db.session.execute(sa.insert(SessionSignup), signups)

        # The survey: questions through the service, invitations and responses in bulk.
        survey = surveys.save_survey(event, title="Feedback", introduction="Thank you for coming.",
                                     opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))
        kinds = SurveyQuestionKind
        for kind, label, choices, min_picks, max_picks in (
            (kinds.RATING, "How useful was the masterclass?", [], None, None),
            (kinds.NPS, "Would you recommend it?", [], None, None),
            (kinds.SINGLE_CHOICE, "Which day was more useful?", ["Day one", "Day two", "Both"], None, None),
            (kinds.MULTIPLE_CHOICE, "What was most valuable?", ["Consultations", "Panel", "Workshops", "Networking"], 1, 3),
            (kinds.SESSION_GRID, "Rate the sessions you attended", [], None, None),
            (kinds.YES_NO, "Would you come again?", [], None, None),
            (kinds.SHORT_TEXT, "One word?", [], None, None),
            (kinds.LONG_TEXT, "What should we do differently?", [], None, None),
        ):
            surveys.save_question(survey, None, surveys.QuestionChanges(
                kind=kind, label=label, section="", required=False, choices=choices, min_picks=min_picks,
                max_picks=max_picks, help_text=""))
        by_kind = {question.kind: question for question in survey.questions}
        invited = confirmed_ids[: max(size.responses, min(len(confirmed_ids), size.responses * 2))]
        db.session.execute(sa.insert(SurveyInvitation), [{
            "survey_id": survey.id, "registration_id": rid, "token_hash": hash_token(new_token()), "token_nonce": new_nonce(),
            "sent_at": now,
            "submitted_at": now if n < size.responses else None, "draft": {}, "created_at": now,
        } for n, rid in enumerate(invited)])
        invitation_ids = list(db.session.execute(
            db.select(SurveyInvitation.id).filter_by(survey_id=survey.id).order_by(SurveyInvitation.id)).scalars())
        db.session.execute(sa.insert(SurveyResponse), [
            {"survey_id": survey.id, "invitation_id": iid, "submitted_at": now} for iid in invitation_ids[: size.responses]])
        response_ids = list(db.session.execute(
            db.select(SurveyResponse.id).filter_by(survey_id=survey.id).order_by(SurveyResponse.id)).scalars())
        answers = []
        session_ids = [session_id for session_id, _capacity in sessions]
        for response_id in response_ids:
            for kind, value in (
                (kinds.RATING, rng.choice([2, 3, 4, 5])), (kinds.NPS, rng.randint(3, 10)),
                (kinds.SINGLE_CHOICE, rng.choice(["Day one", "Day two", "Both"])),
                (kinds.MULTIPLE_CHOICE, rng.sample(["Consultations", "Panel", "Workshops", "Networking"], k=rng.randint(1, 3))),
                (kinds.YES_NO, rng.random() < 0.85), (kinds.SHORT_TEXT, rng.choice(WORDS)),
                (kinds.LONG_TEXT, "More time for the expert consultations, please." if rng.random() < 0.3 else None),
            ):
                if value is not None:
                    answers.append({"response_id": response_id, "question_id": by_kind[kind].id, "session_id": None, "value": value})
            for session_id in rng.sample(session_ids, k=min(len(session_ids), 3)):
                answers.append({"response_id": response_id, "question_id": by_kind[kinds.SESSION_GRID].id,
                                "session_id": session_id, "value": rng.randint(2, 5)})
        if answers:
            db.session.execute(sa.insert(SurveyAnswer), answers)
        db.session.commit()
        confirmed_secrets = [secret for secret, row in zip(secrets, rows, strict=True) if row["status"] == "confirmed"]
        result = {"slug": slug, "event_id": event.id, "secrets": confirmed_secrets, "registrations": size.registrations}
        db.session.remove()
    return result


def seed_badge_event(app, count: int = 1000, slug: str = "bench-badges") -> str:
    """An event with ``count`` confirmed participants: what the organiser's badges.pdf prints."""
    from app.core.tokens import hash_token, new_badge_secret, new_nonce, new_token
    from app.events import services as events
    from app.extensions import db
    from app.registration.models import Registration

    with app.test_request_context():
        owner = ensure_accounts()
        start = _event_start(14)
        event = events.save_event(None, events.EventChanges({
            "title": "Benchmark badges", "slug": slug, "timezone": "Europe/Budapest", "language": "en",
            "starts_at": start, "ends_at": start + timedelta(hours=20), "capacity": None, "contact_email": ORGANISER,
        }), creator=owner)
        events.set_status(event, "published")
        now = datetime.now(UTC)
        db.session.execute(sa.insert(Registration), [{
            "event_id": event.id, "status": "confirmed", "first_name": FIRST[i % len(FIRST)],
            "last_name": f"{LAST[i % len(LAST)]}{i:05d}", "email": f"b{i}@example.org", "organisation": ORGS[i % len(ORGS)],
            "country": COUNTRIES[i % len(COUNTRIES)], "manage_token_hash": hash_token(new_token()), "manage_token_nonce": new_nonce(),
            "badge_secret": new_badge_secret(), "language": "hu", "created_at": now, "updated_at": now,
        } for i in range(count)])
        db.session.commit()
        db.session.remove()
    return slug
