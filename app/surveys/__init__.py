"""Feedback surveys: the organisers' builder, personal invitations, answers and results."""
