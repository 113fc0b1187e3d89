"""registry imports: column mapping and resumable batches

Revision ID: 0005_registry_import
Revises: 0004_registry
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_registry_import'
down_revision = '0004_registry'
branch_labels = None
depends_on = None

OLD_STATES = "('uploaded', 'previewed', 'running', 'completed', 'failed', 'interrupted', 'rolled_back')"
NEW_STATES = ("('uploaded', 'analysing', 'previewed', 'running', 'completed', 'failed', "
              "'interrupted', 'rolled_back')")
OLD_COUNTS = "added >= 0 AND updated >= 0 AND refused >= 0 AND processed_rows >= 0"
NEW_COUNTS = ("added >= 0 AND updated >= 0 AND refused >= 0 AND unchanged >= 0 "
              "AND processed_rows >= 0")


def upgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unchanged', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('mapping', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('summary', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('default_category_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_import_batch_default_category_id_aid_category'),
            'aid_category', ['default_category_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_import_batch_status_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_import_batch_status_valid'),
                                         f"status IN {NEW_STATES}")
        batch_op.drop_constraint(batch_op.f('ck_import_batch_counts_not_negative'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_import_batch_counts_not_negative'),
                                         NEW_COUNTS)
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.alter_column('unchanged', server_default=None)
        batch_op.alter_column('mapping', server_default=None)
        batch_op.alter_column('summary', server_default=None)

    with op.batch_alter_table('import_row_error', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='error'))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.create_check_constraint(batch_op.f('ck_import_row_error_kind_valid'),
                                         "kind IN ('error', 'conflict')")
    with op.batch_alter_table('import_row_error', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('params', server_default=None)

    op.create_table('import_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('previous', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_import_change_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipient.id'], name=op.f('fk_import_change_recipient_id_recipient')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_change'))
    )
    with op.batch_alter_table('import_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_change_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_change_recipient_id'), ['recipient_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_change_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_import_change_batch_id'))
    op.drop_table('import_change')

    with op.batch_alter_table('import_row_error', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_import_row_error_kind_valid'), type_='check')
        batch_op.drop_column('params')
        batch_op.drop_column('kind')

    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_import_batch_counts_not_negative'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_import_batch_counts_not_negative'),
                                         OLD_COUNTS)
        batch_op.drop_constraint(batch_op.f('ck_import_batch_status_valid'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_import_batch_status_valid'),
                                         f"status IN {OLD_STATES}")
        batch_op.drop_constraint(batch_op.f('fk_import_batch_default_category_id_aid_category'), type_='foreignkey')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('default_category_id')
        batch_op.drop_column('summary')
        batch_op.drop_column('mapping')
        batch_op.drop_column('unchanged')
