"""Filters and globals every template may use."""

from datetime import datetime

from flask import Flask, g
from flask_babel import get_locale

from app.core import i18n
from app.core.markdown import render_markdown
from app.core.models import utcnow


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["country_name"] = i18n.country_name
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["person_name"] = i18n.person_name

    @app.template_filter("localdt")
    def localdt(moment: datetime | None, tzname: str, fmt: str = "long") -> str:
        return i18n.local_datetime(moment, tzname, fmt)

    @app.template_filter("localdate")
    def localdate(moment: datetime | None, tzname: str, fmt: str = "long") -> str:
        return i18n.local_date(moment, tzname, fmt)

    @app.template_filter("localtime")
    def localtime(moment: datetime | None, tzname: str) -> str:
        return i18n.local_time(moment, tzname)

    @app.template_global()
    def event_dates(event) -> str:
        return i18n.date_range(event.starts_at, event.ends_at, event.timezone)

    @app.context_processor
    def inject():
        return {"now": utcnow(), "team_role": getattr(g, "team_role", None), "languages": app.config["LANGUAGES"]}
