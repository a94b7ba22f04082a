"""survey links derived from a stored nonce, so a reminder carries the same link

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 03:36:00

Invitations made before this revision keep their random link (its hash is unchanged);
they get a fresh nonce, so their reminders carry a new, derived link that works as well.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_nonce', sa.String(length=32), nullable=True))
    connection = op.get_bind()
    invitations = sa.table('survey_invitations', sa.column('id', sa.Integer), sa.column('token_nonce', sa.String))
    for (invitation_id,) in connection.execute(sa.select(invitations.c.id)).all():
        connection.execute(
            invitations.update().where(invitations.c.id == invitation_id).values(token_nonce=secrets.token_hex(16))
        )
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.alter_column('token_nonce', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.drop_column('token_nonce')
