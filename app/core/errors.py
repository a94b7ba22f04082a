"""Error pages in the site's style, and JSON errors for JSON endpoints."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db


def wants_json() -> bool:
    if request.path.endswith(".json") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_text(code: int) -> tuple[str, str]:
    texts = {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        403: (_("Access denied"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("There is no page at this address. It may have moved or never existed.")),
        405: (_("Method not allowed"), _("This page cannot be used that way.")),
        413: (_("Too large"), _("What you sent is larger than we accept.")),
        429: (_("Too many requests"), _("You have made too many requests. Please wait a minute and try again.")),
        500: (_("Something went wrong"), _("An unexpected error happened on our side. It has been logged; please try again.")),
    }
    return texts.get(code, (_("Error"), _("The request could not be completed.")))


def render_error(code: int, detail: str | None = None):
    title, message = error_text(code)
    if detail:
        message = detail
    if wants_json():
        return jsonify(error=title, message=message, status=code), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("The form expired or was sent from elsewhere. Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code >= 500:
            return server_error(error)
        return render_error(error.code)

    @app.errorhandler(Exception)
    def server_error(error):
        db.session.rollback()
        original = getattr(error, "original_exception", None) or error
        if not isinstance(original, InternalServerError):
            app.logger.error("Unhandled error on %s %s", request.method, request.path, exc_info=original)
        return render_error(500)
