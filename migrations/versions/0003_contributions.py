"""contributions: proposals, attachments and routing

Revision ID: 0003_contributions
Revises: 0002_partners
Create Date: 2026-11-22

Adds the one-time form token that makes a double submit create one contribution,
and the ``split`` state of a "Dinsos decides" proposal divided per kecamatan.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003_contributions"
down_revision = "0002_partners"
branch_labels = None
depends_on = None

OLD_STATES = "'draft', 'submitted', 'accepted', 'rejected', 'allocating', 'completed', 'withdrawn'"
NEW_STATES = OLD_STATES + ", 'split'"


def upgrade():
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_token", sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_contribution_company_id"), ["company_id", "client_token"]
        )
        batch_op.drop_constraint(batch_op.f("ck_contribution_status_valid"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_contribution_status_valid"), f"status IN ({NEW_STATES})"
        )


def downgrade():
    op.execute("UPDATE contribution SET status = 'withdrawn' WHERE status = 'split'")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_contribution_status_valid"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_contribution_status_valid"), f"status IN ({OLD_STATES})"
        )
        batch_op.drop_constraint(batch_op.f("uq_contribution_company_id"), type_="unique")
        batch_op.drop_column("client_token")
