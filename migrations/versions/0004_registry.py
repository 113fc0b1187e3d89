"""registry: validation, corrections and aid history

Revision ID: 0004_registry
Revises: 0003_contributions
Create Date: 2026-11-22

Placeholder in the chain; filled in by the area that needs schema changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_registry'
down_revision = '0003_contributions'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
