"""``flask badges SLUG -o FILE.pdf``: every badge of an event, with a progress bar."""

import click
from flask import Flask

from app.badges import pdf, services
from app.events.services import get_by_slug
from app.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("badges")
    @click.argument("slug")
    @click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True),
                  help="Where to write the PDF.")
    @click.option("--role", type=click.Choice([role.value for role in services.BadgeRole]), help="Only badges of this role.")
    @click.option("--not-printed", is_flag=True, help="Only badges not printed yet.")
    @click.option("--no-mark", is_flag=True, help="Do not mark the badges as printed.")
    def badges(slug, output, role, not_printed, no_mark):
        """Write an event's badges to a PDF: A4 sheets of four A6 badges, sorted by last name."""
        event = get_by_slug(slug)
        if event is None:
            raise click.ClickException(f"No event with the slug {slug!r}.")
        selected = services.event_badges(event, role=role, not_printed=not_printed)
        with click.progressbar(length=len(selected), label=f"Rendering {len(selected)} badges") as bar:
            data = pdf.sheets_pdf(event, selected, progress=bar.update)
        with open(output, "wb") as file:
            file.write(data)
        if not no_mark:
            services.mark_printed(event, selected)
        db.session.commit()
        click.echo(f"Wrote {len(selected)} badges on {(len(selected) + 3) // 4 or 1} pages to {output}.")
