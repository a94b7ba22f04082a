"""The one commit convention of every view: commit on success, roll back and report on refusal.

A view hands the service call to ``commit_or_report``. When the service raises a
``DomainError`` the transaction is rolled back and the refusal is shown beside its form
field (or flashed when there is no form or no such field); otherwise the request's work is
committed once and the optional success message flashed. Anything else propagates to the
error handlers, which roll back too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash, redirect, request, url_for

from app.core.domain import DomainError, apply_field_errors, errors_of
from app.core.urls import safe_next
from app.extensions import db

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """What ``commit_or_report`` did: ``ok`` with the service's ``value``, or the ``error``."""

    ok: bool
    value: T | None = None
    error: DomainError | None = None


def commit_or_report(
    action: Callable[[], T],
    *,
    form=None,
    success: str | Callable[[T], str] | None = None,
) -> Outcome[T]:
    """Run ``action`` (a service call); commit and flash ``success``, or roll back and report."""
    try:
        value = action()
    except DomainError as error:
        db.session.rollback()
        report(error, form)
        return Outcome(ok=False, error=error)
    db.session.commit()
    if success is not None:
        flash(str(success(value) if callable(success) else success), "success")
    return Outcome(ok=True, value=value)


def report(error: DomainError, form=None) -> None:
    """Show a refusal: beside the form's fields when there is a form, else as flashed messages."""
    if form is not None:
        apply_field_errors(form, error)
        return
    for single in errors_of(error):
        flash(str(single.message), "error")


def redirect_back(default_endpoint: str, **values):
    """Back to the page a posted ``next`` names, if it is on this site, else to ``default_endpoint``."""
    return redirect(safe_next(request.form.get("next")) or url_for(default_endpoint, **values))
