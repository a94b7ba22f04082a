"""Configuration classes, read from the environment.

Every setting can also be given as ``FLASK_<NAME>`` (``app.config.from_prefixed_env``),
and ``DATABASE_URL`` is honoured in every mode.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSECURE_DEV_KEY = "dev-only-insecure-secret-key"


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whichever spelling the host gives us."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def database_url(default: str | None) -> str | None:
    url = os.environ.get("DATABASE_URL") or default
    return normalise_database_url(url) if url else None


def settings_from_environment() -> dict:
    """SECRET_KEY and DATABASE_URL as the environment gives them when the app is created.

    The class attributes below read them when this module is imported; reading them again
    at start-up means the values used and the production check always agree.
    """
    settings = {}
    if os.environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    return settings


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{BASE_DIR / 'instance' / 'masterclass.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # Public address used in emails, QR codes and calendar links.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Budapest"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = ("en", "hu")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "8025"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Masterclass <noreply@example.com>")
    # Deliver queued mail from the web process right after the request that queued it;
    # `flask mail send --loop` retries what fails (and is the only sender if this is off).
    MAIL_DELIVER_IN_BACKGROUND = True

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    REGISTRATION_RATE_LIMIT = "20 per minute"
    # Private links (/r/, /c/, /s/), per address: reads, and their forms (survey answers, edits).
    PRIVATE_LINK_RATE_LIMIT = "120 per minute"
    PRIVATE_LINK_FORM_RATE_LIMIT = "30 per minute"
    HSTS_SECONDS = 0  # Strict-Transport-Security only where HTTPS is certain (production)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a form left open all morning at the door must still submit

    MAX_CONTENT_LENGTH = 8 * 1024 * 1024


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    # bandit B105: the test suite's key, never used in production
    SECRET_KEY = "testing-secret-key"  # nosec B105
    SQLALCHEMY_DATABASE_URI = database_url("sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_SUPPRESS_SEND = False
    MAIL_DELIVER_IN_BACKGROUND = False
    BASE_URL = "http://localhost"
    SERVER_NAME = None


class ProductionConfig(Config):
    # One reverse proxy (nginx, a load balancer) in front: trust its X-Forwarded-* headers.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "1"))
    LOG_FORMAT = "json"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = 365 * 24 * 3600

    @staticmethod
    def check(app_config: dict) -> None:
        """Refuse to start with settings that would be unsafe in production."""
        if not app_config.get("SECRET_KEY") or app_config["SECRET_KEY"] == INSECURE_DEV_KEY:
            raise RuntimeError("Production needs a real SECRET_KEY (or FLASK_SECRET_KEY).")
        uri = app_config.get("SQLALCHEMY_DATABASE_URI") or ""
        if not os.environ.get("DATABASE_URL") and not os.environ.get("FLASK_SQLALCHEMY_DATABASE_URI"):
            raise RuntimeError("Production needs DATABASE_URL pointing at PostgreSQL.")
        if not uri:
            raise RuntimeError("Production needs DATABASE_URL pointing at PostgreSQL.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    name = os.environ.get("MASTERCLASS_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"MASTERCLASS_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}.") from None
