"""Logging in and out, the language switch, and the user's own account."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import password_reset, services, sessions
from app.auth.forms import (
    AccountForm,
    LoginForm,
    LogoutOthersForm,
    PasswordForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from app.core.urls import safe_next
from app.core.views import commit_or_report, redirect_back
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("manage.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            # One message for every failure, so the form does not tell which emails exist.
            form.password.errors.append(_("The email or password is not right."))
        else:
            next_url = safe_next(request.args.get("next")) or url_for("manage.index")
            session.clear()  # a fresh session at login
            login_user(user)
            services.log_in(user)
            db.session.commit()
            return redirect(next_url)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    sessions.end_current()  # a copy of the cookie taken before opens nothing afterwards
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "success")
    return redirect(url_for("events.index"))


@bp.route("/language", methods=["POST"])
def set_language():
    """The visible language switch: remembered for the visitor, and for an organiser's account."""
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
        if current_user.is_authenticated:
            services.set_locale(current_user, language)
            db.session.commit()
    return redirect_back("events.index")


@bp.route("/manage/account", methods=["GET", "POST"])
@login_required
def account():
    profile = AccountForm(obj=current_user, prefix="profile")
    if not profile.is_submitted() and not current_user.locale:
        profile.locale.data = str(get_locale())  # the language in use, not the list's first, until one is chosen
    password = PasswordForm(prefix="password")
    others = LogoutOthersForm(prefix="sessions")
    user = current_user._get_current_object()
    if profile.submit.data and profile.validate_on_submit():
        session["lang"] = profile.locale.data  # first, so the confirmation is in the language just chosen
        commit_or_report(
            lambda: services.update_profile(user, name=profile.name.data, locale=profile.locale.data),
            success=_("Your account is saved."),
        )
        return redirect(url_for("auth.account"))
    if password.submit.data and password.validate_on_submit():
        outcome = commit_or_report(
            lambda: services.change_password(user, password.current_password.data, password.new_password.data),
            form=password, success=_("Your password is changed. Every other session of yours is logged out."),
        )
        if outcome.ok:
            login_user(user)  # this session carries on with the new session version...
            sessions.start(user)  # ...and a new live session key
            db.session.commit()
            return redirect(url_for("auth.account"))
    if others.submit.data and others.validate_on_submit():
        commit_or_report(
            lambda: services.log_out_everywhere_else(user),
            success=lambda ended: ngettext(
                "%(num)d other session is logged out.", "%(num)d other sessions are logged out.", ended),
        )
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", profile=profile, password=password, others=others,
                           other_sessions=sessions.count_others(user))


@bp.route("/login/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def request_reset():
    """Ask for a reset link: the same answer whether or not the address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    form = ResetRequestForm()
    if form.validate_on_submit():
        commit_or_report(lambda: password_reset.request_reset(form.email.data))
        return redirect(url_for("auth.reset_sent"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/login/reset/sent")
def reset_sent():
    return render_template("auth/reset_sent.html")


@bp.after_request
def keep_reset_links_private(response):
    """A page whose address holds a reset token is never cached, nor named to another site."""
    if request.endpoint == "auth.reset_password":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str):
    """The emailed link: choose a new password. Unknown, used or expired links answer 404."""
    if password_reset.user_for_token(token) is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        outcome = commit_or_report(
            lambda: password_reset.reset_password(token, form.new_password.data), form=form,
        )
        if outcome.ok:
            sessions.end_current()  # whoever was logged in in this browser is logged out as well
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your new password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
