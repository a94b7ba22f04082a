"""Audit trail of organiser and staff actions."""
