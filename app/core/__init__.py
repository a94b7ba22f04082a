"""Shared plumbing: model base, time zones, tokens, markdown, authorisation."""
