"""Security headers on every response, and a rate limit on the private token pages.

The Content-Security-Policy allows scripts, styles, fonts and images from this site only:
no inline scripts, no inline styles, no event-handler attributes. The check-in page's
QR decoder is WebAssembly, hence ``'wasm-unsafe-eval'`` (which allows compiling WebAssembly,
not JavaScript ``eval``).
"""

from flask import Flask, abort, current_app, request
from flask_limiter.util import get_remote_address
from limits import parse

from app.extensions import limiter

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

# Private links: the token is the credential, so it must not leak through Referer headers
# or caches, and guessing is slowed down per address.
TOKEN_PREFIXES = ("/r/", "/c/", "/s/")


def is_token_page(path: str) -> bool:
    return path.startswith(TOKEN_PREFIXES)


def security_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=(), payment=()"
    if is_token_page(request.path):
        headers["Referrer-Policy"] = "no-referrer"
        if "Cache-Control" not in headers:
            headers["Cache-Control"] = "private, no-store"
    else:
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.path.startswith("/manage/") and "Cache-Control" not in headers:
        headers["Cache-Control"] = "private, no-store"
    hsts = current_app.config.get("HSTS_SECONDS")
    if hsts:
        headers["Strict-Transport-Security"] = f"max-age={int(hsts)}; includeSubDomains"
    return response


def limit_token_pages():
    """A generous per-address limit on the token pages (reads) and on their forms (writes)."""
    if not limiter.enabled or not is_token_page(request.path):
        return None
    config = current_app.config
    if request.method in ("GET", "HEAD"):
        limit, scope = config.get("PRIVATE_LINK_RATE_LIMIT", "120 per minute"), "token-pages"
    else:
        limit, scope = config.get("PRIVATE_LINK_FORM_RATE_LIMIT", "30 per minute"), "token-forms"
    if not limiter.limiter.hit(parse(limit), scope, get_remote_address()):
        abort(429)
    return None


def init_app(app: Flask) -> None:
    app.before_request(limit_token_pages)
    app.after_request(security_headers)
