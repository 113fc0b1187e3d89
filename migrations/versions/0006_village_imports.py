"""village imports: a file of proposals for one desa

Revision ID: 0006_village_imports
Revises: 0005_registry_import
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_village_imports'
down_revision = '0005_registry_import'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('desa_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_import_batch_desa_id_desa'), 'desa', ['desa_id'], ['id'])

    with op.batch_alter_table('recipient_correction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_recipient_correction_import_batch_id_import_batch'), 'import_batch', ['import_batch_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_recipient_correction_import_batch_id'), ['import_batch_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recipient_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipient_correction_import_batch_id'))
        batch_op.drop_constraint(batch_op.f('fk_recipient_correction_import_batch_id_import_batch'), type_='foreignkey')
        batch_op.drop_column('import_batch_id')

    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_import_batch_desa_id_desa'), type_='foreignkey')
        batch_op.drop_column('desa_id')
