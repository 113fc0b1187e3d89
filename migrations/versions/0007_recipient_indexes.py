"""recipient indexes: drop three that other indexes already cover

Revision ID: 0007_recipient_indexes
Revises: 0006_village_imports
Create Date: 2026-11-22

kecamatan_id and desa_id lead the (kecamatan_id, name) and (desa_id, name)
indexes; validation_status has three values and is always filtered together
with a kecamatan or desa. Each index costs every insert of a 100,000-row import.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007_recipient_indexes'
down_revision = '0006_village_imports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipient_kecamatan_id'))
        batch_op.drop_index(batch_op.f('ix_recipient_desa_id'))
        batch_op.drop_index(batch_op.f('ix_recipient_validation_status'))


def downgrade():
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipient_validation_status'), ['validation_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipient_desa_id'), ['desa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipient_kecamatan_id'), ['kecamatan_id'], unique=False)
