"""statuses, kinds and roles limited to their values by CHECK constraints

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 20:00:00

The columns stay VARCHAR(20) (the models map them to ``StrEnum``s); each gets a named
CHECK constraint, so a misspelt status can no longer reach the database. Every value the
application has ever written is in the lists.
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# table, column, constraint name (the naming convention adds "ck_<table>_"), allowed values
CHECKS = [
    ('registrations', 'status', 'registration_status', ('pending', 'confirmed', 'waitlisted', 'declined', 'cancelled')),
    ('questions', 'kind', 'question_kind',
     ('short_text', 'long_text', 'single_choice', 'multiple_choice', 'yes_no', 'country')),
    ('events', 'status', 'event_status', ('draft', 'published', 'archived')),
    ('agenda_sessions', 'kind', 'session_kind', ('talk', 'workshop', 'panel', 'consultation', 'networking', 'break')),
    ('event_members', 'role', 'member_role', ('organiser', 'staff')),
    ('outbox_messages', 'status', 'outbox_status', ('queued', 'sending', 'sent', 'failed')),
    ('survey_questions', 'kind', 'survey_question_kind',
     ('rating', 'nps', 'single_choice', 'multiple_choice', 'yes_no', 'short_text', 'long_text', 'session_grid')),
    ('surveys', 'audience', 'survey_audience', ('checked_in', 'confirmed')),
]


def upgrade():
    for table, column, name, values in CHECKS:
        listed = ", ".join(f"'{value}'" for value in values)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(name, f"{column} IN ({listed})")


def downgrade():
    for table, _column, name, _values in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_='check')
