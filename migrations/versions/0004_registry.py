"""registry: validation, corrections and aid history

Revision ID: 0004_registry
Revises: 0003_contributions
Create Date: 2026-11-22

Corrections proposed by village operators, and the (kecamatan, name) and
(desa, name) indexes that keep the recipient list fast on 100,000 people.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_registry'
down_revision = '0003_contributions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recipient_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name=op.f('ck_recipient_correction_status_valid')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_recipient_correction_decided_by_id_user')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_recipient_correction_proposed_by_id_user')),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipient.id'], name=op.f('fk_recipient_correction_recipient_id_recipient')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipient_correction'))
    )
    with op.batch_alter_table('recipient_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipient_correction_proposed_by_id'), ['proposed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipient_correction_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipient_correction_status'), ['status'], unique=False)

    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.create_index('ix_recipient_desa_id_name', ['desa_id', 'name'], unique=False)
        batch_op.create_index('ix_recipient_kecamatan_id_name', ['kecamatan_id', 'name'], unique=False)


def downgrade():
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_recipient_kecamatan_id_name')
        batch_op.drop_index('ix_recipient_desa_id_name')

    with op.batch_alter_table('recipient_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipient_correction_status'))
        batch_op.drop_index(batch_op.f('ix_recipient_correction_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_recipient_correction_proposed_by_id'))

    op.drop_table('recipient_correction')
