"""recipient warnings: what the NIK or KK says that the record disagrees with

Revision ID: 0009_recipient_warnings
Revises: 0008_recipient_name_trigrams
Create Date: 2026-12-01

Warnings were shown once after a manual save and never kept; now every path that
writes a recipient stores their codes, and the registry filters on them. Existing
records get theirs computed here, by the same rule the portal uses.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_recipient_warnings'
down_revision = '0008_recipient_name_trigrams'
branch_labels = None
depends_on = None

CHUNK = 5000


def upgrade():
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('warnings', sa.String(length=80), server_default='', nullable=False)
        )
    op.create_index('ix_recipient_warned_name', 'recipient', ['name'], unique=False,
                    postgresql_where=sa.text("warnings <> ''"),
                    sqlite_where=sa.text("warnings <> ''"))
    _compute_existing()


def _compute_existing():
    from portal.core.nik import record_warnings

    bind = op.get_bind()
    recipient = sa.table(
        'recipient', sa.column('id', sa.Integer), sa.column('nik', sa.String),
        sa.column('kk', sa.String), sa.column('sex', sa.String),
        sa.column('birth_date', sa.Date), sa.column('warnings', sa.String),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(recipient.c.id, recipient.c.nik, recipient.c.kk, recipient.c.sex,
                      recipient.c.birth_date)
            .where(recipient.c.id > last, recipient.c.nik.is_not(None))
            .order_by(recipient.c.id).limit(CHUNK)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        changes = [
            {"rid": row.id, "codes": ",".join(codes)}
            for row in rows
            if (codes := record_warnings(row.nik, row.kk, row.sex, row.birth_date))
        ]
        if changes:
            bind.execute(
                recipient.update().where(recipient.c.id == sa.bindparam('rid'))
                .values(warnings=sa.bindparam('codes')),
                changes,
            )


def downgrade():
    op.drop_index('ix_recipient_warned_name', table_name='recipient',
                  postgresql_where=sa.text("warnings <> ''"),
                  sqlite_where=sa.text("warnings <> ''"))
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.drop_column('warnings')
