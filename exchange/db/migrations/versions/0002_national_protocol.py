"""national protocol: agencies' directory log, documents' title and notation

Revision ID: 0002
Revises: 0001
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

AGENCY_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("mail", sa.String(length=255), nullable=True),
    sa.Column("mobile", sa.String(length=32), nullable=True),
    sa.Column("fax", sa.String(length=32), nullable=True),
    sa.Column("old_code", sa.String(length=35), nullable=True),
    sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True),
)
DOCUMENT_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("title", sa.String(length=500), nullable=True),
    sa.Column("notation", sa.String(length=100), nullable=True),
)


def upgrade() -> None:
    for column in AGENCY_COLUMNS:
        op.add_column("agencies", column)
    for column in DOCUMENT_COLUMNS:
        op.add_column("documents", column)


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        for column in DOCUMENT_COLUMNS:
            batch.drop_column(column.name)
    with op.batch_alter_table("agencies") as batch:
        for column in AGENCY_COLUMNS:
            batch.drop_column(column.name)
