"""Launch a fixture course and drive its run-time the way the player page does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scorm_player.services import CommitResult, LaunchContext, Services
from scorm_player.storage.models import CommitLogEntity

Change = tuple[str, str]


@dataclass
class Session:
    """One opened launch; :meth:`commit` numbers the batches as the adapter does."""

    services: Services
    context: LaunchContext
    seq: int = field(init=False)

    def __post_init__(self) -> None:
        self.seq = self.context.acked_seq

    @property
    def attempt_id(self) -> int:
        return self.context.attempt_id

    @property
    def state(self) -> dict[str, str]:
        return self.context.state

    def commit(self, *changes: Change, final: bool = False) -> CommitResult:
        self.seq += 1
        return self.services.tracking.apply_commit(
            self.context.token, self.attempt_id, self.seq, [list(c) for c in changes], final
        )

    def finish(self, *changes: Change) -> CommitResult:
        return self.commit(*changes, final=True)


def import_course(services: Services, package_zip: Callable[[str], Path], name: str) -> str:
    return services.courses.import_zip(package_zip(name)).course.id


def launch(
    services: Services,
    course_id: str,
    learner: str = "alice",
    name: str = "Liddell, Alice",
    **options: Any,
) -> Session:
    token = services.launches.make_link_token(course_id, learner, name)
    return Session(services, services.launches.open_launch(token, **options))


def launch_on(services: Services, course_id: str, item: str, tries: int = 12) -> Session:
    """The first launch of ``item`` in a course whose sequencing picks among items at random
    (``selectCount``): learners ``learner-0``, ``learner-1``... are launched until one is
    given ``item``. The draw is seeded per registration, so the outcome is repeatable."""
    for number in range(tries):
        session = launch(services, course_id, f"learner-{number}", "Learner, Test")
        if session.context.item_identifier == item:
            return session
    raise AssertionError(f"no learner of {tries} was given {item!r}")


def commit_log(services: Services, attempt_id: int) -> list[CommitLogEntity]:
    with services.engine.connect() as connection:
        return list(
            connection.execute(
                select(CommitLogEntity).where(CommitLogEntity.attempt_id == attempt_id)
            )
        )
