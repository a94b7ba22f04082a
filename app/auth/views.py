"""Logging in and out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import AccountForm, LoginForm, PasswordForm
from app.core.models import utcnow
from app.core.urls import safe_next
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
            user.last_login_at = utcnow()
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
            current_user.locale = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("events.index"))


@bp.route("/manage/account", methods=["GET", "POST"])
@login_required
def account():
    profile = AccountForm(obj=current_user, prefix="profile")
    password = PasswordForm(prefix="password")
    if profile.submit.data and profile.validate_on_submit():
        current_user.name = profile.name.data.strip()
        current_user.locale = profile.locale.data
        session["lang"] = profile.locale.data
        db.session.commit()
        flash(_("Your account is saved."), "success")
        return redirect(url_for("auth.account"))
    if password.submit.data and password.validate_on_submit():
        if services.authenticate(current_user.email, password.current_password.data) is None:
            password.current_password.errors.append(_("The current password is not right."))
        else:
            user = current_user._get_current_object()
            services.set_password(user, password.new_password.data)
            db.session.commit()
            login_user(user)  # this session carries on with the new session version
            flash(_("Your password is changed. Every other session of yours is logged out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", profile=profile, password=password)
