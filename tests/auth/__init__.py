"""Accounts, login and event-team access."""
