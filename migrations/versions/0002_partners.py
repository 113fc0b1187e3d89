"""partners: company invitations and registration

Revision ID: 0002_partners
Revises: 0001_initial
Create Date: 2026-11-22

Company staff invite their colleagues by e-mail; only the token's hash is stored.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_partners'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_user_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accepted_user_id'], ['user.id'], name=op.f('fk_company_invitation_accepted_user_id_user')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_invitation_company_id_company')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_company_invitation_invited_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_company_invitation_token_hash'))
    )
    with op.batch_alter_table('company_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_invitation_company_id'), ['company_id'], unique=False)


def downgrade():
    with op.batch_alter_table('company_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_invitation_company_id'))

    op.drop_table('company_invitation')
