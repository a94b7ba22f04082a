"""Logging in and out, the language switch, and the user's own account."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import AccountForm, LoginForm, PasswordForm
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
            services.record_login(user)
            db.session.commit()
            return redirect(next_url)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
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
    password = PasswordForm(prefix="password")
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
            login_user(user)  # this session carries on with the new session version
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", profile=profile, password=password)
