"""Command-line tools: ``flask users create``, ``flask demo``."""

import secrets
import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.auth import services as accounts
from app.badges.cli import register as register_badges
from app.core.domain import DomainError
from app.demo import load_demo
from app.events.models import Event
from app.events.services import get_by_slug
from app.extensions import db
from app.mail.services import deliver_due
from app.privacy.cli import register as register_privacy
from app.surveys import invitations
from app.surveys.builder import get_survey


def register(app: Flask) -> None:
    users = AppGroup("users", help="Manage organiser and staff accounts.")

    @users.command("create")
    @click.argument("email")
    @click.option("--admin", is_flag=True, help="Make the user a site administrator.")
    @click.option("--password", help="Password (asked for when not given).")
    @click.option("--name", default="", help="Display name.")
    def create_user(email, admin, password, name):
        """Create an account that can log in."""
        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = accounts.create_user(email, password, name=name, is_admin=admin)
        except DomainError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
        click.echo(f"Created {'administrator' if admin else 'user'} {user.email}.")

    @users.command("set-password")
    @click.argument("email")
    @click.option("--password", help="The new password (asked for twice, hidden, when not given).")
    def set_password(email, password):
        """Set an account's password; every session of the account ends."""
        user = accounts.find_user(email)
        if user is None:
            raise click.ClickException(f"No account uses {email!r}.")
        if password is None:
            password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
        try:
            accounts.set_password(user, password)
        except DomainError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
        click.echo(f"Password set for {user.email}; every session of the account has ended.")

    app.cli.add_command(users)

    mail_group = AppGroup("mail", help="The outbox.")

    @mail_group.command("send")
    @click.option("--loop", is_flag=True, help="Keep delivering, as a worker process.")
    @click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
    def send_mail(loop, interval):
        """Deliver queued mail that is due, retrying failures with backoff."""
        while True:
            report = deliver_due()
            if report.sent or report.failed or not loop:
                click.echo(f"sent {report.sent}, failed {report.failed}, gave up {report.gave_up}")
            db.session.remove()
            if not loop:
                return
            time.sleep(interval)

    app.cli.add_command(mail_group)

    surveys_group = AppGroup("surveys", help="Feedback surveys.")

    @surveys_group.command("send")
    @click.argument("slug")
    @click.option("--remind", is_flag=True, help="Remind those invited who have not answered, instead.")
    def send_survey(slug, remind):
        """Invite the event's survey audience (nobody twice), or remind who has not answered."""
        event = get_by_slug(slug)
        survey = get_survey(event) if event is not None else None
        if survey is None:
            raise click.ClickException(f"No survey for an event called {slug!r}.")
        try:
            if remind:
                count = invitations.send_reminders(survey)
                message = f"Queued {count} reminders."
            else:
                report = invitations.send_invitations(survey)
                message = f"Queued {report.invited} invitations; {report.already_invited} already invited."
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from None
        db.session.commit()
        click.echo(message + " Deliver them with `flask mail send`.")

    app.cli.add_command(surveys_group)

    @app.cli.command("demo")
    @click.option("--password", help="Password for the demo accounts (generated when not given).")
    @click.option("--if-empty", is_flag=True, help="Only load when the database has no events yet (used by make run).")
    def demo(password, if_empty):
        """Load the demo events and accounts (safe to run again)."""
        logins_file = Path(app.instance_path) / "demo-logins.txt"
        if if_empty and db.session.execute(db.select(Event.id).limit(1)).first() is not None:
            click.echo("The database already has events; demo data not loaded.")
            if logins_file.exists():
                click.echo(logins_file.read_text(encoding="utf-8"), nl=False)
            return
        generated = password is None
        password = password or secrets.token_urlsafe(9)
        result = load_demo(password)
        db.session.commit()
        click.echo(result.summary())
        if result.created_accounts:
            lines = ["Demo logins" + (" (generated password)" if generated else "") + ":"]
            lines += [f"  {email}  password: {password}" for email in result.created_accounts]
            text = "\n".join(lines) + "\n"
            click.echo(text, nl=False)
            Path(app.instance_path).mkdir(parents=True, exist_ok=True)
            logins_file.write_text(text, encoding="utf-8")
            logins_file.chmod(0o600)
        elif result.existing_accounts:
            click.echo("Demo accounts already existed and were left unchanged: " + ", ".join(result.existing_accounts))

    register_badges(app)
    register_privacy(app)
