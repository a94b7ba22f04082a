"""Downloads of personal data are marked where they are defined.

A view that sends participants' data as a file (CSV, spreadsheet, PDF, JSON) carries
``@personal_data_export`` under its ``@bp.route(...)``; the audit trail records every successful
download of a marked view (who took a copy, and when). tests/conventions/test_exports.py fails
for an organiser download that is not marked.
"""

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable)
MARK = "personal_data_export"


def personal_data_export(view: View) -> View:
    """Mark ``view`` as a download of personal data (place it under ``@bp.route``)."""
    setattr(view, MARK, True)
    return view


def is_personal_data_export(view: Callable | None) -> bool:
    return bool(getattr(view, MARK, False))
