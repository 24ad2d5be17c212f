"""Play scripted sessions against the sequencing fixtures in ``tests/fixtures/sequencing``.

A script is a list of steps ``(request, expected, reported)``:

* ``request``: a navigation request; ``"choice quiz"`` / ``"jump quiz"`` name a target.
* ``expected``: the identifier of the activity delivered, ``"END"`` when the sequencing
  session ends, ``"-"`` when the request is valid but delivers nothing, or ``"!CODE"``
  for the exception the request must raise (``"!NB.2.1-4"``).
* ``reported``: CMI values the SCO commits afterwards (to the current activity), or None.

The manifests go through the real manifest parser, as the importer reads them; the
fixtures hold no SCO files because the parser does not look for them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.manifest import parse_manifest
from scorm_player.packaging.report import ImportReport
from scorm_player.sequencing.engine import Sequencer
from scorm_player.sequencing.objectives import primary
from scorm_player.sequencing.state import ObjectiveState
from scorm_player.sequencing.tree import ActivityTree

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sequencing"

Step = tuple[str, str, Mapping[str, str] | None]

PASSED = {"cmi.completion_status": "completed", "cmi.success_status": "passed"}
FAILED = {"cmi.completion_status": "completed", "cmi.success_status": "failed"}
INCOMPLETE = {"cmi.completion_status": "incomplete"}
SUSPEND = {"cmi.completion_status": "incomplete", "cmi.exit": "suspend"}


@dataclass(frozen=True)
class Scenario:
    """One course (a fixture folder) played through one script."""

    behaviour: str  # the test id: what the course is shown to do
    course: str  # folder under tests/fixtures/sequencing
    steps: Sequence[Step]
    root: str  # the root's final "<completion> <success>" (see ``root_status``)

    def __str__(self) -> str:
        return self.behaviour


def load_tree(course: str) -> ActivityTree:
    """The activity tree of a fixture manifest; the manifest must import without findings."""
    path = FIXTURES / course / "imsmanifest.xml"
    report = ImportReport()
    package = parse_manifest(
        path.read_bytes(), file=f"{course}/imsmanifest.xml", report=report, limits=ImportLimits()
    )
    assert package is not None and not report.findings, [f.message for f in report.findings]
    return ActivityTree.from_package(package)


def new_sequencer(
    course: str,
    global_objectives: MutableMapping[str, ObjectiveState] | None = None,
    *,
    seed: int = 1,
    clock: Callable[[], float] | None = None,
) -> Sequencer:
    return Sequencer(
        load_tree(course), None, global_objectives, rng=random.Random(seed), clock=clock
    )


def play(seq: Sequencer, steps: Sequence[Step]) -> None:
    """Run the steps, asserting the outcome of each one."""
    for number, (request, expected, reported) in enumerate(steps, start=1):
        name, _, target = request.partition(" ")
        outcome = seq.navigate(name, target or None)
        seen = _outcome_text(outcome.delivered, outcome.exception, outcome.session_ended)
        assert seen == expected, f"step {number} {request!r}: {seen} ({outcome})"
        if reported is not None:
            assert seq.current_activity is not None, f"step {number}: no SCO to report from"
            seq.report_runtime(seq.current_activity, reported)


def root_status(seq: Sequencer) -> str:
    """``"<completed|incomplete|unknown> <passed|failed|unknown>"`` of the root activity."""
    root = seq.tree.root
    state = seq.state.activities[root.id]
    objective = primary(seq.ctx, root)
    completion = (
        ("completed" if state.attempt_completion_status else "incomplete")
        if state.attempt_progress_status
        else "unknown"
    )
    success = (
        ("passed" if objective.satisfied_status else "failed")
        if objective.progress_status
        else "unknown"
    )
    return f"{completion} {success}"


def _outcome_text(delivered: str | None, exception: str | None, ended: bool) -> str:
    if ended:
        return "END"
    if exception is not None:
        return f"!{exception}"
    return delivered or "-"
