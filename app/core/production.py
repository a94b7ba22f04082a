"""What running behind a reverse proxy, in several processes, needs: proxy headers and
logs a machine can read."""

import json
import logging

from flask import Flask, Response, g, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

from app.core.security import is_token_page


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request's method, path and client when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str | None] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry.update(method=request.method, path=request.path, client=request.remote_addr)
            if getattr(g, "event", None) is not None:
                entry["event"] = g.event.slug
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    if app.testing:
        return
    handler = logging.StreamHandler()
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    storage = str(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    if app.config.get("LOG_FORMAT") == "json" and app.config.get("RATELIMIT_ENABLED", True) and storage.startswith("memory://"):
        # Production: every gunicorn worker and machine would count alone, so N processes let N times the limit through.
        logging.getLogger(__name__).warning(
            "RATELIMIT_STORAGE_URI is memory://: rate limits are per process; set redis://... when more than one process serves.")


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto/-Host from this many proxies in front (0: none)."""
    hops = int(app.config.get("PROXY_HOPS", 0) or 0)
    if hops:
        # Flask's documented way to add WSGI middleware; mypy sees a method being replaced.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)  # type: ignore[method-assign]


def html_cache_headers(response: Response) -> Response:
    """Public HTML pages carry the visitor's CSRF token (the language switch is a form), so a
    shared cache (nginx proxy_cache, a CDN) must never store them: ``private, no-cache``. Feeds
    and photos set their own headers (public, ETag, Last-Modified); /manage/ and the private
    token links are ``no-store`` (app/core/security.py)."""
    if request.path.startswith("/manage/") or is_token_page(request.path):
        return response  # no-store, set by security_headers
    if (request.method in ("GET", "HEAD") and "Cache-Control" not in response.headers
            and response.mimetype == "text/html"):
        response.headers["Cache-Control"] = "private, no-cache"
        response.vary.add("Cookie")
    return response


def configure_caching(app: Flask) -> None:
    app.after_request(html_cache_headers)
