"""Registrations, questions, consent, capacity and the waiting list."""
