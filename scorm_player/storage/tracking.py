"""Run-time tracking storage: attempts, their rows, commit parts and log, preferences, stores.

A launch and a commit each read, decide and write in one transaction, and two requests for
the same registration must not interleave (a commit racing a relaunch, two tabs). So
:meth:`TrackingRepository.unit` locks the registration row and hands the service a
:class:`TrackingUnit`: the reads and writes of that one transaction, as methods that take and
return records. Leaving the ``with`` block commits; an exception rolls everything back.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, defer, sessionmaker

from scorm_player.storage.db import writer_lock
from scorm_player.storage.models import (
    AttemptEntity,
    CommitLogEntity,
    CommitPartEntity,
    CourseEntity,
    CourseVersionEntity,
    GlobalObjectiveEntity,
    InteractionEntity,
    LearnerEntity,
    LearnerPreferenceEntity,
    ObjectiveEntity,
    RegistrationEntity,
    SharedDataEntity,
)
from scorm_player.storage.records import (
    Attempt,
    AttemptColumns,
    AttemptResult,
    CommitPart,
    InteractionRow,
    Learner,
    ObjectiveRow,
    Preferences,
    RegistrationState,
    Summary,
)
from scorm_player.storage.repositories import _aware

_COLUMNS = [f.name for f in dataclasses.fields(AttemptColumns)]
_PREFERENCES = [f.name for f in dataclasses.fields(Preferences)]
_SUMMARY = [f.name for f in dataclasses.fields(Summary)]


class TrackingRepository:
    def __init__(self, session_maker: sessionmaker[Session]) -> None:
        self._session_maker = session_maker

    @contextmanager
    def unit(self, registration_id: int) -> Iterator[TrackingUnit | None]:
        """One transaction holding the registration's lock (``None``: no such registration)."""
        engine = self._session_maker.kw["bind"]
        with writer_lock(engine), self._session_maker.begin() as session:
            # A no-op UPDATE locks the row on PostgreSQL and takes SQLite's write lock.
            locked = session.execute(
                update(RegistrationEntity)
                .where(RegistrationEntity.id == registration_id)
                .values(launch_generation=RegistrationEntity.launch_generation)
                .execution_options(synchronize_session=False)
            )
            if locked.rowcount == 0:
                yield None
                return
            yield TrackingUnit(session, registration_id)

    def generation(self, registration_id: int, attempt_id: int) -> int | None:
        """The registration's launch generation (``None``: no such attempt of it)."""
        with self._session_maker() as session:
            return session.scalar(
                select(RegistrationEntity.launch_generation)
                .join(AttemptEntity, AttemptEntity.registration_id == RegistrationEntity.id)
                .where(RegistrationEntity.id == registration_id, AttemptEntity.id == attempt_id)
            )

    def overview(self, registration_id: int) -> tuple[RegistrationState, list[Attempt]] | None:
        """A registration and its attempts (oldest first, without their state), unlocked:
        what the player's table of contents reads after every commit."""
        with self._session_maker() as session:
            if session.get(RegistrationEntity, registration_id) is None:
                return None
            unit = TrackingUnit(session, registration_id)
            return unit.registration, unit.attempts()

    def global_objectives(self, learner_id: int, scope: str) -> dict[str, dict[str, Any]]:
        """A learner's shared objectives in ``scope``, unlocked (the player's look-ahead)."""
        with self._session_maker() as session:
            return _global_objectives(session, learner_id, scope)

    def find_registration(self, course_id: str, external_id: str) -> RegistrationState | None:
        """A learner's registration on a course (any version), without locking it; designers'
        previews are not learners' registrations."""
        with self._session_maker() as session:
            registration_id = session.scalar(
                select(RegistrationEntity.id)
                .join(CourseVersionEntity)
                .join(LearnerEntity)
                .where(
                    CourseVersionEntity.course_id == course_id,
                    LearnerEntity.external_id == external_id,
                    RegistrationEntity.preview.is_(False),
                )
                .order_by(RegistrationEntity.id)
                .limit(1)
            )
            return _registration_state(session, registration_id) if registration_id else None

    def results(self, registration_id: int) -> list[tuple[Attempt, AttemptResult | None]]:
        """Every attempt of a registration (oldest first); the latest per item in full."""
        with self._session_maker() as session:
            unit = TrackingUnit(session, registration_id)
            attempts = unit.attempts()
            latest = {a.item_identifier: a.id for a in attempts}
            out: list[tuple[Attempt, AttemptResult | None]] = []
            for attempt in attempts:
                detail = None
                if latest[attempt.item_identifier] == attempt.id:
                    full = unit.attempt(attempt.id)
                    assert full is not None
                    detail = AttemptResult(
                        full, unit.interactions(attempt.id), unit.objectives(attempt.id)
                    )
                out.append((attempt, detail))
            return out


class TrackingUnit:
    """The reads and writes of one locked transaction on one registration."""

    def __init__(self, session: Session, registration_id: int) -> None:
        self._session = session
        self.registration_id = registration_id
        state = _registration_state(session, registration_id)
        assert state is not None
        self.registration = state

    # --- registration -------------------------------------------------------------------

    def start_launch(self, item: str, now: datetime) -> int:
        """Bump the launch generation (older tokens become superseded); return the new one."""
        entity = self._registration_entity()
        entity.launch_generation += 1
        entity.current_item = item
        entity.first_access_at = entity.first_access_at or now
        entity.last_access_at = now
        return entity.launch_generation

    def save_summary(self, summary: Summary, now: datetime) -> None:
        entity = self._registration_entity()
        for name in _SUMMARY:
            setattr(entity, name, getattr(summary, name))
        entity.last_access_at = now

    # --- attempts -----------------------------------------------------------------------

    def attempts(self) -> list[Attempt]:
        """Every attempt of the registration, oldest first, without their state."""
        rows = self._session.scalars(
            select(AttemptEntity)
            .where(AttemptEntity.registration_id == self.registration_id)
            .order_by(AttemptEntity.id)
            .options(defer(AttemptEntity.state), defer(AttemptEntity.session_facts))
        ).all()
        return [_attempt(row, with_state=False) for row in rows]

    def attempt(self, attempt_id: int) -> Attempt | None:
        entity = self._attempt_entity(attempt_id)
        return _attempt(entity) if entity else None

    def add_attempt(
        self,
        item: str,
        *,
        state: dict[str, str],
        columns: AttemptColumns,
        session_facts: dict[str, Any],
        now: datetime,
    ) -> Attempt:
        """Attempt ``n + 1`` on ``item``, active."""
        number = self._session.scalar(
            select(func.coalesce(func.max(AttemptEntity.number), 0)).where(
                AttemptEntity.registration_id == self.registration_id,
                AttemptEntity.item_identifier == item,
            )
        )
        entity = AttemptEntity(
            registration_id=self.registration_id,
            item_identifier=item,
            number=(number or 0) + 1,
            status="active",
            started_at=now,
            last_access_at=now,
            acked_seq=0,
            state=state,
            session_facts=session_facts,
            **{name: getattr(columns, name) for name in _COLUMNS},
        )
        self._session.add(entity)
        self._session.flush()
        return _attempt(entity)

    def save_attempt(
        self,
        attempt_id: int,
        *,
        now: datetime,
        state: dict[str, str] | None = None,
        columns: AttemptColumns | None = None,
        session_facts: dict[str, Any] | None = None,
        status: str | None = None,
        acked_seq: int | None = None,
        nav_request: str | None = None,
        finished: bool = False,
    ) -> Attempt:
        """Write what is given (``None`` keeps the stored value)."""
        entity = self._attempt_entity(attempt_id)
        assert entity is not None
        if state is not None:
            entity.state = state
        if columns is not None:
            for name in _COLUMNS:
                setattr(entity, name, getattr(columns, name))
        if session_facts is not None:
            entity.session_facts = session_facts
        if status is not None:
            entity.status = status
        if acked_seq is not None:
            entity.acked_seq = acked_seq
        if nav_request is not None:
            entity.nav_request = nav_request
        if finished:
            entity.finished_at = now
        entity.last_access_at = now
        self._session.flush()
        return _attempt(entity)

    def replace_interactions(self, attempt_id: int, rows: Iterable[InteractionRow]) -> None:
        self._session.execute(
            delete(InteractionEntity).where(InteractionEntity.attempt_id == attempt_id)
        )
        self._session.add_all(
            InteractionEntity(
                attempt_id=attempt_id,
                **{**_fields(row), "objective_ids": list(row.objective_ids),
                   "correct_responses": list(row.correct_responses)},
            )
            for row in rows
        )

    def replace_objectives(self, attempt_id: int, rows: Iterable[ObjectiveRow]) -> None:
        self._session.execute(
            delete(ObjectiveEntity).where(ObjectiveEntity.attempt_id == attempt_id)
        )
        self._session.add_all(ObjectiveEntity(attempt_id=attempt_id, **_fields(row)) for row in rows)

    def interactions(self, attempt_id: int) -> tuple[InteractionRow, ...]:
        rows = self._session.scalars(
            select(InteractionEntity)
            .where(InteractionEntity.attempt_id == attempt_id)
            .order_by(InteractionEntity.position)
        ).all()
        return tuple(
            InteractionRow(
                **{name: getattr(row, name) for name in _field_names(InteractionRow)
                   if name not in ("objective_ids", "correct_responses")},
                objective_ids=tuple(row.objective_ids),
                correct_responses=tuple(row.correct_responses),
            )
            for row in rows
        )

    def objectives(self, attempt_id: int) -> tuple[ObjectiveRow, ...]:
        rows = self._session.scalars(
            select(ObjectiveEntity)
            .where(ObjectiveEntity.attempt_id == attempt_id)
            .order_by(ObjectiveEntity.position)
        ).all()
        return tuple(
            ObjectiveRow(**{name: getattr(row, name) for name in _field_names(ObjectiveRow)})
            for row in rows
        )

    # --- commits ------------------------------------------------------------------------

    def parts(self, attempt_id: int, seq: int) -> list[CommitPart]:
        rows = self._session.scalars(
            select(CommitPartEntity)
            .where(CommitPartEntity.attempt_id == attempt_id, CommitPartEntity.seq == seq)
            .order_by(CommitPartEntity.part_index)
        ).all()
        return [
            CommitPart(row.seq, row.part_index, row.part_count, row.final, row.changes)
            for row in rows
        ]

    def add_part(self, attempt_id: int, part: CommitPart, now: datetime) -> None:
        """Keep a part (a resent part replaces the one received before)."""
        self._session.execute(
            delete(CommitPartEntity).where(
                CommitPartEntity.attempt_id == attempt_id,
                CommitPartEntity.seq == part.seq,
                CommitPartEntity.part_index == part.index,
            )
        )
        self._session.add(
            CommitPartEntity(
                attempt_id=attempt_id, seq=part.seq, part_index=part.index,
                part_count=part.count, final=part.final, changes=part.changes, received_at=now,
            )
        )
        self._session.flush()

    def drop_parts(self, attempt_id: int, up_to_seq: int) -> None:
        self._session.execute(
            delete(CommitPartEntity).where(
                CommitPartEntity.attempt_id == attempt_id, CommitPartEntity.seq <= up_to_seq
            )
        )

    def log_commit(
        self,
        attempt_id: int,
        seq: int,
        changes: Sequence[Sequence[str]],
        *,
        final: bool,
        relaxations: list[dict[str, Any]],
        now: datetime,
    ) -> None:
        self._session.add(
            CommitLogEntity(
                attempt_id=attempt_id, seq=seq, received_at=now, final=final,
                changes=[list(pair) for pair in changes], relaxations=relaxations,
            )
        )

    # --- learner preferences and shared data ---------------------------------------------

    def preferences(self) -> Preferences:
        entity = self._session.get(LearnerPreferenceEntity, self.registration.learner.id)
        if entity is None:
            return Preferences()
        return Preferences(**{name: getattr(entity, name) for name in _PREFERENCES})

    def save_preferences(self, preferences: Preferences, now: datetime) -> None:
        learner_id = self.registration.learner.id
        entity = self._session.get(LearnerPreferenceEntity, learner_id)
        if entity is None:
            entity = LearnerPreferenceEntity(learner_id=learner_id, updated_at=now)
            self._session.add(entity)
        for name in _PREFERENCES:
            setattr(entity, name, getattr(preferences, name))
        entity.updated_at = now

    def shared_stores(self, scope: str, target_ids: Iterable[str]) -> dict[str, str]:
        """The stores written so far, by target id (``scope``: ``""`` system-wide, else what
        :meth:`CourseModel.shared_scope` names)."""
        keys = {_target_key(target): target for target in target_ids}
        if not keys:
            return {}
        rows = self._session.scalars(
            select(SharedDataEntity).where(
                SharedDataEntity.learner_id == self.registration.learner.id,
                SharedDataEntity.scope == scope,
                SharedDataEntity.target_key.in_(keys),
            )
        ).all()
        return {row.target_id: row.store for row in rows}

    def save_shared_stores(
        self, scope: str, stores: dict[str, str], now: datetime, *, course_id: str | None = None
    ) -> None:
        """Write stores in ``scope``; a scoped (not system-wide) row belongs to ``course_id``
        and goes when the course is deleted."""
        learner_id = self.registration.learner.id
        for target, store in stores.items():
            entity = self._session.scalars(
                select(SharedDataEntity).where(
                    SharedDataEntity.learner_id == learner_id,
                    SharedDataEntity.scope == scope,
                    SharedDataEntity.target_key == _target_key(target),
                )
            ).one_or_none()
            if entity is None:
                entity = SharedDataEntity(
                    learner_id=learner_id,
                    course_id=course_id if scope else None,
                    scope=scope,
                    target_key=_target_key(target),
                    target_id=target,
                )
                self._session.add(entity)
            entity.store = store
            entity.updated_at = now

    # --- SCORM 2004 sequencing -----------------------------------------------------------

    def save_sequencing_state(self, state: dict[str, Any], now: datetime) -> None:
        """Store the activity tree's tracking state (the whole document, replaced)."""
        entity = self._registration_entity()
        entity.sequencing_state = state
        entity.last_access_at = now
        self.registration = dataclasses.replace(self.registration, sequencing_state=state)

    def global_objectives(self, scope: str) -> dict[str, dict[str, Any]]:
        """The learner's shared objectives in ``scope`` (``""``: across courses), by id."""
        return _global_objectives(self._session, self.registration.learner.id, scope)

    def save_global_objectives(
        self, scope: str, objectives: dict[str, dict[str, Any]], now: datetime
    ) -> None:
        """Write the shared objectives that changed (rows are keyed by learner, scope, id)."""
        learner_id = self.registration.learner.id
        stored = {
            row.objective_key: row
            for row in _global_objective_rows(self._session, learner_id, scope)
        }
        for objective_id, data in objectives.items():
            entity = stored.get(_target_key(objective_id))
            if entity is not None and entity.data == data:
                continue
            if entity is None:
                entity = GlobalObjectiveEntity(
                    learner_id=learner_id,
                    registration_id=self.registration_id if scope else None,
                    scope=scope,
                    objective_key=_target_key(objective_id),
                    objective_id=objective_id,
                )
                self._session.add(entity)
            entity.data = data
            entity.updated_at = now

    # --- helpers ------------------------------------------------------------------------

    def _registration_entity(self) -> RegistrationEntity:
        return self._session.get_one(RegistrationEntity, self.registration_id)

    def _attempt_entity(self, attempt_id: int) -> AttemptEntity | None:
        entity = self._session.get(AttemptEntity, attempt_id)
        if entity is None or entity.registration_id != self.registration_id:
            return None
        return entity


def _registration_state(session: Session, registration_id: int) -> RegistrationState | None:
    row = session.execute(
        select(RegistrationEntity, CourseVersionEntity, LearnerEntity, CourseEntity.compat_policy)
        .join(CourseVersionEntity, RegistrationEntity.course_version_id == CourseVersionEntity.id)
        .join(CourseEntity, CourseVersionEntity.course_id == CourseEntity.id)
        .join(LearnerEntity, RegistrationEntity.learner_id == LearnerEntity.id)
        .where(RegistrationEntity.id == registration_id)
    ).first()
    if row is None:
        return None
    registration, version, learner, policy = row
    return RegistrationState(
        id=registration.id,
        course_id=version.course_id,
        course_version_id=version.id,
        version_number=version.number,
        learner=Learner(id=learner.id, external_id=learner.external_id, name=learner.name),
        launch_generation=registration.launch_generation,
        current_item=registration.current_item,
        first_access_at=_maybe_aware(registration.first_access_at),
        last_access_at=_maybe_aware(registration.last_access_at),
        compat_policy=policy,
        summary=Summary(**{name: getattr(registration, name) for name in _SUMMARY}),
        preview=registration.preview,
        sequencing_state=registration.sequencing_state,
    )


def _global_objective_rows(
    session: Session, learner_id: int, scope: str
) -> Sequence[GlobalObjectiveEntity]:
    return session.scalars(
        select(GlobalObjectiveEntity).where(
            GlobalObjectiveEntity.learner_id == learner_id, GlobalObjectiveEntity.scope == scope
        )
    ).all()


def _global_objectives(session: Session, learner_id: int, scope: str) -> dict[str, dict[str, Any]]:
    rows = _global_objective_rows(session, learner_id, scope)
    return {row.objective_id: dict(row.data) for row in rows}


def _attempt(entity: AttemptEntity, *, with_state: bool = True) -> Attempt:
    return Attempt(
        id=entity.id,
        registration_id=entity.registration_id,
        item_identifier=entity.item_identifier,
        number=entity.number,
        status=entity.status,
        started_at=_aware(entity.started_at),
        last_access_at=_aware(entity.last_access_at),
        finished_at=_maybe_aware(entity.finished_at),
        acked_seq=entity.acked_seq,
        columns=AttemptColumns(**{name: getattr(entity, name) for name in _COLUMNS}),
        nav_request=entity.nav_request,
        state=dict(entity.state) if with_state else {},
        session_facts=dict(entity.session_facts) if with_state else {},
    )


def _maybe_aware(moment: datetime | None) -> datetime | None:
    return _aware(moment) if moment is not None else None


def _field_names(record: type) -> list[str]:
    return [f.name for f in dataclasses.fields(record)]


def _fields(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _field_names(type(row))}


def _target_key(target_id: str) -> str:
    return hashlib.sha256(target_id.encode("utf-8")).hexdigest()
