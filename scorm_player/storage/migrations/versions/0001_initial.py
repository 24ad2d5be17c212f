"""Initial schema: designer accounts, courses and their versions, learners, registrations.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_table(
        "course",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course")),
    )
    op.create_table(
        "learner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner")),
        sa.UniqueConstraint("external_id", name=op.f("uq_learner_external_id")),
    )
    op.create_table(
        "course_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("scorm_version", sa.String(8), nullable=False),
        sa.Column("edition", sa.String(8), nullable=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("sco_count", sa.Integer(), nullable=False),
        sa.Column("package", _JSON, nullable=False),
        sa.Column("report", _JSON, nullable=False),
        sa.Column("file_root", sa.String(255), nullable=False),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("byte_count", sa.BigInteger(), nullable=False),
        sa.Column("imported_at", _TIMESTAMP, nullable=False),
        sa.Column("source_filename", sa.String(255), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
            name=op.f("fk_course_version_course_id_course"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_version")),
        sa.UniqueConstraint("course_id", "number", name=op.f("uq_course_version_course_id")),
    )
    op.create_index(op.f("ix_course_version_course_id"), "course_version", ["course_id"])
    op.create_index(op.f("ix_course_version_sha256"), "course_version", ["sha256"])
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_version_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["course_version_id"],
            ["course_version.id"],
            name=op.f("fk_registration_course_version_id_course_version"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learner.id"],
            name=op.f("fk_registration_learner_id_learner"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
    )
    op.create_index(
        op.f("ix_registration_course_version_id"), "registration", ["course_version_id"]
    )
    op.create_index(op.f("ix_registration_learner_id"), "registration", ["learner_id"])


def downgrade() -> None:
    op.drop_table("registration")
    op.drop_table("course_version")
    op.drop_table("learner")
    op.drop_table("course")
    op.drop_table("user_account")
