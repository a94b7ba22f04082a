"""The calendar tests use the agenda tests' helpers."""

from tests.agenda.conftest import add_registration, add_session, add_speaker, organiser  # noqa: F401
