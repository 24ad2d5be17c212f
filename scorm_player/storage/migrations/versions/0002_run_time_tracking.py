"""Run-time tracking: attempts and their CMI state, interactions, objectives, the commit log and
pending split commits, learner preferences, shared data stores; launch generation and a
normalised summary on registrations; a compatibility policy per course.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_TIMESTAMP = sa.DateTime(timezone=True)


def _attempt_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["attempt_id"], ["attempt.id"], name=op.f(f"fk_{table}_attempt_id_attempt"),
        ondelete="CASCADE",
    )


def _learner_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["learner_id"], ["learner.id"], name=op.f(f"fk_{table}_learner_id_learner"),
        ondelete="CASCADE",
    )


def _scores() -> list[sa.Column]:
    return [sa.Column(f"score_{part}", sa.Float(), nullable=True) for part in
            ("scaled", "raw", "min", "max")]


def upgrade() -> None:
    with op.batch_alter_table("course") as batch:
        batch.add_column(sa.Column("compat_policy", sa.String(16), nullable=True))
    with op.batch_alter_table("registration") as batch:
        batch.add_column(
            sa.Column("launch_generation", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("current_item", sa.Text(), nullable=True))
        batch.add_column(sa.Column("first_access_at", _TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("last_access_at", _TIMESTAMP, nullable=True))
        batch.add_column(
            sa.Column(
                "completion_status", sa.String(16), server_default="not attempted", nullable=False
            )
        )
        batch.add_column(
            sa.Column("success_status", sa.String(16), server_default="unknown", nullable=False)
        )
        batch.add_column(sa.Column("score_scaled", sa.Float(), nullable=True))
        batch.add_column(sa.Column("score_raw", sa.Float(), nullable=True))
        batch.add_column(sa.Column("total_seconds", sa.Float(), server_default="0", nullable=False))

    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("item_identifier", sa.Text(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", _TIMESTAMP, nullable=False),
        sa.Column("last_access_at", _TIMESTAMP, nullable=False),
        sa.Column("finished_at", _TIMESTAMP, nullable=True),
        sa.Column("acked_seq", sa.Integer(), nullable=False),
        sa.Column("completion_status", sa.String(16), nullable=False),
        sa.Column("success_status", sa.String(16), nullable=False),
        *_scores(),
        sa.Column("progress_measure", sa.Float(), nullable=True),
        sa.Column("total_time", sa.String(64), nullable=False),
        sa.Column("total_seconds", sa.Float(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("suspend_data", sa.Text(), nullable=True),
        sa.Column("entry", sa.String(16), nullable=False),
        sa.Column("exit", sa.String(16), nullable=True),
        sa.Column("credit", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("nav_request", sa.Text(), nullable=True),
        sa.Column("state", _JSON, nullable=False),
        sa.Column("session_facts", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_attempt_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt")),
        sa.UniqueConstraint(
            "registration_id", "item_identifier", "number", name=op.f("uq_attempt_registration_id")
        ),
        sqlite_autoincrement=True,  # ids are never reused (tokens name attempts)
    )
    op.create_index(op.f("ix_attempt_registration_id"), "attempt", ["registration_id"])

    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.Text(), nullable=True),
        sa.Column("type", sa.String(32), nullable=True),
        sa.Column("timestamp", sa.Text(), nullable=True),
        sa.Column("weighting", sa.Float(), nullable=True),
        sa.Column("learner_response", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("latency", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("objective_ids", _JSON, nullable=False),
        sa.Column("correct_responses", _JSON, nullable=False),
        _attempt_fk("interaction"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
        sa.UniqueConstraint("attempt_id", "position", name=op.f("uq_interaction_attempt_id")),
    )
    op.create_table(
        "objective",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.Text(), nullable=True),
        sa.Column("completion_status", sa.String(16), nullable=False),
        sa.Column("success_status", sa.String(16), nullable=False),
        *_scores(),
        sa.Column("progress_measure", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        _attempt_fk("objective"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objective")),
        sa.UniqueConstraint("attempt_id", "position", name=op.f("uq_objective_attempt_id")),
    )
    op.create_table(
        "commit_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("part_index", sa.Integer(), nullable=False),
        sa.Column("part_count", sa.Integer(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("changes", _JSON, nullable=False),
        sa.Column("received_at", _TIMESTAMP, nullable=False),
        _attempt_fk("commit_part"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commit_part")),
        sa.UniqueConstraint(
            "attempt_id", "seq", "part_index", name=op.f("uq_commit_part_attempt_id")
        ),
    )
    op.create_table(
        "commit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("received_at", _TIMESTAMP, nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("changes", _JSON, nullable=False),
        sa.Column("relaxations", _JSON, nullable=False),
        _attempt_fk("commit_log"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commit_log")),
    )
    op.create_index("ix_commit_log_attempt_id_seq", "commit_log", ["attempt_id", "seq"])

    op.create_table(
        "learner_preference",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        *[
            sa.Column(name, sa.Text(), nullable=True)
            for name in (
                "language", "audio_captioning", "audio_level", "delivery_speed", "audio", "speed"
            )
        ],
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        _learner_fk("learner_preference"),
        sa.PrimaryKeyConstraint("learner_id", name=op.f("pk_learner_preference")),
    )
    op.create_table(
        "shared_data",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.String(64), nullable=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("target_key", sa.String(64), nullable=False),
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("store", sa.Text(), nullable=False),
        sa.Column("updated_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_shared_data_course_id_course"),
            ondelete="CASCADE",
        ),
        _learner_fk("shared_data"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_data")),
        sa.UniqueConstraint(
            "learner_id", "scope", "target_key", name=op.f("uq_shared_data_learner_id")
        ),
    )
    op.create_index(op.f("ix_shared_data_course_id"), "shared_data", ["course_id"])


def downgrade() -> None:
    op.drop_table("shared_data")
    op.drop_table("learner_preference")
    op.drop_table("commit_log")
    op.drop_table("commit_part")
    op.drop_table("objective")
    op.drop_table("interaction")
    op.drop_table("attempt")
    with op.batch_alter_table("registration") as batch:
        for column in (
            "total_seconds", "score_raw", "score_scaled", "success_status", "completion_status",
            "last_access_at", "first_access_at", "current_item", "launch_generation",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("course") as batch:
        batch.drop_column("compat_policy")
