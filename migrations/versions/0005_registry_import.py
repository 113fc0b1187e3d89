"""registry imports: column mapping and resumable batches

Revision ID: 0005_registry_import
Revises: 0004_registry
Create Date: 2026-11-22

Placeholder in the chain; filled in by the area that needs schema changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_registry_import'
down_revision = '0004_registry'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
