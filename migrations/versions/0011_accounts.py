"""accounts: secrets handed over once, kept on the server

Revision ID: 0011_accounts
Revises: 0010_sessions
Create Date: 2026-12-01

A temporary password or an invitation link used to travel in the signed (not
encrypted) session cookie until the next page showed it. It now waits in this table,
bound to the user who caused it, and is deleted when shown or after a few minutes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_accounts'
down_revision = '0010_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hand_over',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['viewer_id'], ['user.id'], name=op.f('fk_hand_over_viewer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hand_over')),
    sa.UniqueConstraint('viewer_id', 'kind', 'subject_id', name=op.f('uq_hand_over_viewer_id'))
    )
    with op.batch_alter_table('hand_over', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hand_over_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hand_over_viewer_id'), ['viewer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hand_over', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hand_over_viewer_id'))
        batch_op.drop_index(batch_op.f('ix_hand_over_expires_at'))

    op.drop_table('hand_over')
