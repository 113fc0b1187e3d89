"""partners: company invitations and registration

Revision ID: 0002_partners
Revises: 0001_initial
Create Date: 2026-11-22

Placeholder in the chain; filled in by the area that needs schema changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_partners'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
