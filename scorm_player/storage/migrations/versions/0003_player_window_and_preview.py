"""The player: a launch window per course (same or new), preview registrations for designers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("launch_window", sa.String(length=8), nullable=True))
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("preview", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("preview")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("launch_window")
