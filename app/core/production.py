"""What running behind a reverse proxy, in several processes, needs: proxy headers and
logs a machine can read."""

import json
import logging

from flask import Flask, g, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request's method, path and client when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
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


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto/-Host from this many proxies in front (0: none)."""
    hops = int(app.config.get("PROXY_HOPS", 0) or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
