"""SCORM 2004 sequencing: the tracking state per registration, shared global objectives.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequencing_state", JSON, nullable=True))
    op.create_table(
        "global_objective",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("objective_key", sa.String(length=64), nullable=False),
        sa.Column("objective_id", sa.Text(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learner.id"],
            name=op.f("fk_global_objective_learner_id_learner"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registration.id"],
            name=op.f("fk_global_objective_registration_id_registration"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_global_objective")),
        sa.UniqueConstraint(
            "learner_id", "scope", "objective_key",
            name=op.f("uq_global_objective_learner_id"),
        ),
    )
    with op.batch_alter_table("global_objective", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_global_objective_registration_id"), ["registration_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("global_objective", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_global_objective_registration_id"))
    op.drop_table("global_objective")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("sequencing_state")
