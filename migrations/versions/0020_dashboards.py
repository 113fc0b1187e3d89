"""dashboards: this portal's aid records by contribution, people by validation state, people served by place

Revision ID: 0020_dashboards
Revises: 0019_speed
Create Date: 2026-12-01 16:02:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_dashboards'
down_revision = '0019_speed'
branch_labels = None
depends_on = None

PORTAL = sa.text("source = 'PORTAL'")


def upgrade():
    with op.batch_alter_table('aid_record', schema=None) as batch_op:
        batch_op.create_index(
            'ix_aid_record_portal',
            ['contribution_id', 'recipient_id'],
            unique=False,
            postgresql_where=PORTAL,
            sqlite_where=PORTAL,
        )
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.create_index(
            'ix_recipient_active_validation',
            ['active', 'validation_status', 'kecamatan_id', 'validated_at'],
            unique=False,
        )
        batch_op.create_index(
            'ix_recipient_id_places', ['id', 'kecamatan_id', 'desa_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_recipient_id_places')
        batch_op.drop_index('ix_recipient_active_validation')
    with op.batch_alter_table('aid_record', schema=None) as batch_op:
        batch_op.drop_index('ix_aid_record_portal')
