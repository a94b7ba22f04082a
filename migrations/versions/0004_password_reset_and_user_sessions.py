"""password reset tokens on users, and the table of live login sessions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:15:00

A password reset keeps only the hash of the emailed token and when it expires. Every login
is a row of ``user_sessions`` (the hash of a random key the browser's session holds), deleted
at logout, at a password change and at "log out everywhere else": a copied cookie stops working.
Sessions made before this revision carry no key and end at the upgrade (everyone logs in again).
"""
import sqlalchemy as sa
from alembic import op

from app.core.models import UTCDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_reset_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('password_reset_expires_at', UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_password_reset_hash'), ['password_reset_hash'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_user_sessions_key_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_password_reset_hash'))
        batch_op.drop_column('password_reset_expires_at')
        batch_op.drop_column('password_reset_hash')
