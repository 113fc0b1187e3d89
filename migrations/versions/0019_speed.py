"""speed: an index of recipients by kecamatan alone, for ranking a match's candidates

Revision ID: 0019_speed
Revises: 0018_amendments
Create Date: 2026-12-01 16:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019_speed'
down_revision = '0018_amendments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.create_index('ix_recipient_kecamatan_id', ['kecamatan_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_recipient_kecamatan_id')
