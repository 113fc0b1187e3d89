"""aid records by person and date: covering indexes for the candidates' ranking

Revision ID: 0013_matching_build
Revises: 0012_matching
Create Date: 2026-12-01

Ranking a match's candidates reads, for every candidate of a kecamatan, their latest aid
(by NIK or by a link to their record) and whether someone else on their KK received aid
within the look-back window. Indexes of (nik, received_on), (kk, received_on, nik) and
(recipient_id, received_on) answer each of these from the index alone; they replace the
single-column indexes, which are their prefixes.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_matching_build'
down_revision = '0012_matching'
branch_labels = None
depends_on = None

NEW = (
    ('ix_aid_record_nik_received_on', ['nik', 'received_on']),
    ('ix_aid_record_kk_received_on', ['kk', 'received_on', 'nik']),
    ('ix_aid_record_recipient_id_received_on', ['recipient_id', 'received_on']),
)
OLD = (
    ('ix_aid_record_nik', ['nik']),
    ('ix_aid_record_kk', ['kk']),
    ('ix_aid_record_recipient_id', ['recipient_id']),
)


def upgrade():
    for name, columns in NEW:
        op.create_index(name, 'aid_record', columns, unique=False)
    for name, _columns in OLD:
        op.drop_index(name, table_name='aid_record')


def downgrade():
    for name, columns in OLD:
        op.create_index(name, 'aid_record', columns, unique=False)
    for name, _columns in NEW:
        op.drop_index(name, table_name='aid_record')
