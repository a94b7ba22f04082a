"""Configuration: production refuses unsafe settings; the environment configures every mode."""

import pytest

from app import create_app
from config import INSECURE_DEV_KEY, DevelopmentConfig, ProductionConfig, TestingConfig

PG_URL = "postgresql://masterclass:secret@db.example.com:5432/masterclass"
REAL_KEY = "a-real-production-secret-that-nobody-guesses"


@pytest.fixture
def clean_env(monkeypatch):
    """No configuration leaks in from the shell that runs the tests."""
    for name in ("SECRET_KEY", "DATABASE_URL", "FLASK_SECRET_KEY", "FLASK_SQLALCHEMY_DATABASE_URI", "MASTERCLASS_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_a_secret_key(clean_env):
    clean_env.setenv("DATABASE_URL", PG_URL)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_the_development_secret_key(clean_env):
    clean_env.setenv("DATABASE_URL", PG_URL)
    clean_env.setenv("SECRET_KEY", INSECURE_DEV_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_without_a_database_url(clean_env):
    clean_env.setenv("SECRET_KEY", REAL_KEY)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_production_starts_with_a_secret_key_and_database_url(clean_env):
    clean_env.setenv("SECRET_KEY", REAL_KEY)
    clean_env.setenv("DATABASE_URL", PG_URL)
    app = create_app(ProductionConfig)
    assert app.config["SECRET_KEY"] == REAL_KEY
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://masterclass:secret@db.example.com:5432/masterclass"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_accepts_flask_prefixed_settings(clean_env):
    clean_env.setenv("FLASK_SECRET_KEY", REAL_KEY)
    clean_env.setenv("DATABASE_URL", PG_URL)
    app = create_app(ProductionConfig)
    assert app.config["SECRET_KEY"] == REAL_KEY


def test_flask_prefixed_environment_settings_are_applied(clean_env):
    clean_env.setenv("FLASK_LOGIN_RATE_LIMIT", "3 per hour")
    clean_env.setenv("FLASK_MAIL_PORT", "2525")  # JSON-decoded: an int
    clean_env.setenv("FLASK_BASE_URL", "https://events.example.com")
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per hour"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["BASE_URL"] == "https://events.example.com"


@pytest.mark.parametrize("config_class", [DevelopmentConfig, TestingConfig, ProductionConfig])
@pytest.mark.parametrize(
    "given",
    [
        "postgres://masterclass:secret@db.example.com:5432/masterclass",
        "postgresql://masterclass:secret@db.example.com:5432/masterclass",
    ],
)
def test_database_url_is_honoured_in_every_mode_and_normalised(clean_env, config_class, given):
    clean_env.setenv("SECRET_KEY", REAL_KEY)
    clean_env.setenv("DATABASE_URL", given)
    app = create_app(config_class)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://masterclass:secret@db.example.com:5432/masterclass"


def test_sqlite_database_url_is_kept_as_given(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app(DevelopmentConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'x.db'}"


def test_development_defaults_to_sqlite_in_instance_folder(clean_env):
    app = create_app(DevelopmentConfig)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("instance/masterclass.db")


def test_masterclass_config_chooses_the_mode(clean_env):
    clean_env.setenv("MASTERCLASS_CONFIG", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    clean_env.setenv("MASTERCLASS_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="MASTERCLASS_CONFIG"):
        create_app()


def test_flask_prefixed_database_uri_is_normalised_too(clean_env):
    clean_env.setenv("FLASK_SECRET_KEY", REAL_KEY)
    clean_env.setenv("FLASK_SQLALCHEMY_DATABASE_URI", "postgres://u@db.example.com/mc")
    app = create_app(ProductionConfig)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example.com/mc"
