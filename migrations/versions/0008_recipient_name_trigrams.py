"""recipient name trigrams: substring name search on PostgreSQL

Revision ID: 0008_recipient_name_trigrams
Revises: 0007_recipient_indexes
Create Date: 2026-11-22

The admin's active search looks for a name anywhere in the regency with
ILIKE '%...%'; a trigram index answers that without reading every row.
SQLite has no such index; its search walks the name index instead.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_recipient_name_trigrams'
down_revision = '0007_recipient_indexes'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index('ix_recipient_name_trgm', 'recipient', ['name'], unique=False,
                    postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_recipient_name_trgm', table_name='recipient')
