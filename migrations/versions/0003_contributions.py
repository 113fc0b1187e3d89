"""contributions: proposals, attachments and routing

Revision ID: 0003_contributions
Revises: 0002_partners
Create Date: 2026-11-22

Placeholder in the chain; filled in by the area that needs schema changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_contributions'
down_revision = '0002_partners'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
