"""dashboards: aid records by contribution, for the people served and the value handed over

Revision ID: 0022_dashboards
Revises: 0017_handovers
Create Date: 2026-12-01 16:02:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_dashboards'
down_revision = '0017_handovers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('aid_record', schema=None) as batch_op:
        batch_op.create_index('ix_aid_record_contribution_id', ['contribution_id'], unique=False)


def downgrade():
    with op.batch_alter_table('aid_record', schema=None) as batch_op:
        batch_op.drop_index('ix_aid_record_contribution_id')
