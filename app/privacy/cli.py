"""``flask privacy purge [--older-than DAYS]``."""

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.privacy import services


def register(app: Flask) -> None:
    group = AppGroup("privacy", help="Personal data.")

    @group.command("purge")
    @click.option("--older-than", "older_than", type=click.IntRange(min=0), default=None,
                  help="Erase registrations of events that ended more than DAYS ago (default: each event's retention period).")
    def purge(older_than):
        """Erase the personal data of events past their retention period."""
        reports = services.purge(older_than_days=older_than)
        db.session.commit()
        for report in reports:
            click.echo(f"{report.slug}: erased {report.erased} registrations")
        click.echo(f"Erased {sum(report.erased for report in reports)} registrations in {len(reports)} events.")

    app.cli.add_command(group)
