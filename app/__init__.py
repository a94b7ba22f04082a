"""The Masterclass application factory."""

from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext

from app import models  # noqa: F401  every model known to the metadata
from app.agenda.manage_views import bp as agenda_manage_bp
from app.agenda.views import bp as agenda_bp
from app.audit import services as audit
from app.audit.views import bp as audit_bp
from app.auth.services import load_user
from app.auth.views import bp as auth_bp
from app.badges.views import bp as badges_bp
from app.calendar.views import bp as calendar_bp
from app.checkin.views import bp as checkin_bp
from app.cli import register as register_cli
from app.core import database, errors, production, security, templating
from app.core.i18n import select_locale
from app.core.jsonsafe import HtmlSafeJSONProvider
from app.events.manage_views import bp as manage_bp
from app.events.views import bp as events_bp
from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from app.mail import services as mail_services
from app.privacy.views import bp as privacy_bp
from app.registration.manage_views import bp as registrations_bp
from app.registration.views import bp as participant_bp
from app.surveys.manage_views import bp as surveys_manage_bp
from app.surveys.views import bp as surveys_bp
from config import ProductionConfig, config_from_environment, normalise_database_url, settings_from_environment


def create_app(config_class=None, **overrides) -> Flask:
    config_class = config_class or config_from_environment()
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.json = HtmlSafeJSONProvider(app)
    app.config.from_object(config_class)
    app.config.update(settings_from_environment())
    app.config.from_prefixed_env()
    if app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.update(overrides)
    if issubclass(config_class, ProductionConfig):
        ProductionConfig.check(app.config)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    configure_logging(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    audit.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    database.init_app(app)
    mail_services.init_app(app)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(events_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(surveys_manage_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(agenda_bp)
    app.register_blueprint(agenda_manage_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(participant_bp)
    app.register_blueprint(registrations_bp)
    app.register_blueprint(badges_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(privacy_bp)


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)


def register_template_helpers(app: Flask) -> None:
    templating.register(app)


def register_commands(app: Flask) -> None:
    register_cli(app)


def configure_logging(app: Flask) -> None:
    production.configure_logging(app)
    production.configure_proxy(app)
    production.configure_caching(app)
