"""Sequencing benchmark: one navigation request, a commit, request_valid and the TOC.

Builds activity trees of 100, 1,000 and 10,000 activities in code (the organization, modules,
lessons, leaf SCOs; flow and choice on; rollup rules, shared objectives, pre-condition rules
and attempt limits sprinkled in), brings a learner to the middle of the course by reporting
results for the SCOs before it, then times on that state:

- ``choice`` to a far leaf (the last SCO of the course);
- ``continue`` from the mid leaf;
- ``report_runtime`` (a SCO commit: status mapped, rolled up to the root);
- ``request_valid()`` (every ``adl.nav.request_valid`` value);
- ``toc()`` (the player's table of contents, rebuilt after every commit);
- ``player state``: what ``/runtime/toc`` answers for a SCORM 2004 course, the policy's
  TOC (with jump validity) and its Previous / Continue controls, from the stored state.

Each operation is timed on a fresh copy of the mid-course state (the copy is not timed).
The baseline, measured in the same run on the same tree, is a plain walk over every activity
reading its tracking state: the least any whole-tree answer costs. Goal (issue): one
navigation request under 20 ms at 1,000 activities, growth no worse than linear, so the
1000/100 and 10000/1000 ratios should stay near 10 or below.

Usage: ``python bench/sequencing_bench.py [--quick] [--sizes 100,1000,10000] [--runs 15]``
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scorm_player.packaging.model import (  # noqa: E402
    ControlMode,
    Item,
    LimitConditions,
    MapInfo,
    Objective,
    Organization,
    RollupCondition,
    RollupRule,
    RuleCondition,
    SequencingDefinition,
    SequencingRule,
)
from scorm_player.sequencing.engine import Sequencer  # noqa: E402
from scorm_player.services.navigation import RegistrationView  # noqa: E402
from scorm_player.services.sequencing import SequencingPolicy  # noqa: E402
from scorm_player.sequencing.state import TrackingState  # noqa: E402
from scorm_player.sequencing.tree import ActivityTree  # noqa: E402

LESSONS_PER_MODULE = 4
SCOS_PER_LESSON = 8
PASSED = {"cmi.completion_status": "completed", "cmi.success_status": "passed",
          "cmi.score.scaled": "0.9"}
OPERATIONS = (
    "choice far leaf", "continue mid leaf", "report_runtime", "request_valid", "toc", "outcome",
    "course result", "player state",
)


# --- the course -------------------------------------------------------------------------


def _cluster_sequencing(index: int, lesson: bool) -> SequencingDefinition:
    """Flow and choice on; lessons roll up by rules and share their primary objective."""
    definition = SequencingDefinition(control_mode=ControlMode(choice=True, flow=True))
    if lesson:
        definition.rollup_rules = [
            RollupRule("satisfied", "atLeastPercent", minimum_percent=0.75,
                       conditions=[RollupCondition("satisfied")]),
            RollupRule("notSatisfied", "any", conditions=[RollupCondition("satisfied", "not")]),
            RollupRule("completed", "all", conditions=[RollupCondition("completed")]),
        ]
        definition.objectives = [
            Objective(f"lesson-{index}", primary=True, map_info=[
                MapInfo(f"g-lesson-{index}", write_satisfied_status=True,
                        write_normalized_measure=True)])
        ]
    return definition


def _sco_sequencing(index: int, lesson: int, position: int) -> SequencingDefinition:
    """Every SCO has objectives; some have pre-condition rules or an attempt limit."""
    definition = SequencingDefinition(
        objectives=[Objective(None, primary=True, satisfied_by_measure=index % 4 == 0,
                              min_normalized_measure=0.8), Objective(f"o-{index}")]
    )
    if position == 0 and lesson > 0:  # the first SCO of a lesson reads the previous lesson
        definition.objectives.append(
            Objective("prereq", map_info=[MapInfo(f"g-lesson-{lesson - 1}")])
        )
        definition.rules.append(SequencingRule("pre", "disabled", "all", [
            RuleCondition("satisfied", "not", "prereq"), RuleCondition("attempted", "not")]))
    if position == 3:  # review pages: skipped in flow once satisfied
        definition.rules.append(
            SequencingRule("pre", "skip", "all", [RuleCondition("satisfied")]))
    if position == 5:
        definition.rules.append(SequencingRule("pre", "hiddenFromChoice", "all", [
            RuleCondition("attemptLimitExceeded")]))
        definition.limit_conditions = LimitConditions(attempt_limit=3)
    if position == 6:
        definition.rules.append(SequencingRule("post", "retry", "all", [
            RuleCondition("satisfied", "not"), RuleCondition("attemptLimitExceeded", "not")]))
        definition.limit_conditions = LimitConditions(attempt_limit=2)
    return definition


def build_course(size: int) -> ActivityTree:
    """An activity tree of exactly ``size`` activities: organization > modules > lessons > SCOs."""
    counter = {"activities": 1, "lessons": 0, "scos": 0}  # the organization counts

    def take() -> bool:
        if counter["activities"] >= size:
            return False
        counter["activities"] += 1
        return True

    modules: list[Item] = []
    while take():
        module = Item(f"m{len(modules)}", f"Module {len(modules)}",
                      sequencing=_cluster_sequencing(len(modules), lesson=False))
        modules.append(module)
        for _ in range(LESSONS_PER_MODULE):
            if not take():
                break
            lesson_index = counter["lessons"]
            counter["lessons"] += 1
            lesson = Item(f"l{lesson_index}", f"Lesson {lesson_index}",
                          sequencing=_cluster_sequencing(lesson_index, lesson=True))
            module.children.append(lesson)
            for position in range(SCOS_PER_LESSON):
                if not take():
                    break
                index = counter["scos"]
                counter["scos"] += 1
                lesson.children.append(Item(
                    f"s{index}", f"SCO {index}", launch_url=f"sco{index}.html",
                    scorm_type="sco", sequencing=_sco_sequencing(index, lesson_index, position)))
            if not lesson.children:  # a childless lesson would be a leaf without content
                lesson.launch_url, lesson.scorm_type = f"{lesson.identifier}.html", "sco"
        if not module.children:
            module.launch_url, module.scorm_type = f"{module.identifier}.html", "sco"
    organization = Organization("org", "Benchmark course", items=modules,
                                sequencing=_cluster_sequencing(0, lesson=False))
    tree = ActivityTree.from_organization(organization)
    assert sum(1 for _ in tree) == size, size
    return tree


def mid_course(tree: ActivityTree, seed: int = 7) -> Sequencer:
    """A learner in the middle of the course: earlier SCOs passed, the mid SCO delivered."""
    sequencer = Sequencer(tree, rng=random.Random(seed), clock=lambda: 0.0)
    leaves = [a for a in tree if a.is_leaf]
    middle = leaves[len(leaves) // 2]
    outcome = sequencer.navigate("start")
    assert outcome.delivered, outcome
    # Report results for a bounded number of SCOs before the middle, so that building the
    # state stays cheap at 10,000 activities; their lessons roll up and write globals.
    for leaf in leaves[max(0, len(leaves) // 2 - 24) : len(leaves) // 2]:
        if leaf.id != sequencer.current_activity:
            outcome = sequencer.navigate("choice", leaf.id)
            if not outcome.delivered:
                continue
        sequencer.report_runtime(leaf.id, PASSED)
    outcome = sequencer.navigate("choice", middle.id)
    assert outcome.delivered == middle.id, (outcome, middle.id)
    return sequencer


def far_leaf(tree: ActivityTree) -> str:
    return [a for a in tree if a.is_leaf][-1].id


def fork(sequencer: Sequencer) -> Sequencer:
    """A new sequencer on a deep copy of ``sequencer``'s state (for one timed request)."""
    ctx = sequencer.ctx
    rng = random.Random()
    rng.setstate(ctx.rng.getstate())
    return Sequencer(sequencer.tree, copy.deepcopy(ctx.state), copy.deepcopy(dict(ctx.globals)),
                     rng=rng, clock=ctx.clock)


def operations(sequencer: Sequencer) -> dict[str, Callable[[Sequencer], object]]:
    """Each timed operation, as a call on a sequencer in the mid-course state."""
    tree = sequencer.tree
    target = far_leaf(tree)
    current = sequencer.current_activity
    assert current is not None
    stored = sequencer.state.to_dict()  # as registration.sequencing_state holds it
    return {
        "choice far leaf": lambda s: s.navigate("choice", target),
        "continue mid leaf": lambda s: s.navigate("continue"),
        "report_runtime": lambda s: s.report_runtime(current, PASSED),
        "request_valid": lambda s: s.request_valid(),
        "toc": lambda s: s.toc(),
        "outcome": lambda s: s.outcome(),
        # what services/summary.py adds to each commit: the stored state read, outcome()
        "course result": lambda s: Sequencer(s.tree, TrackingState.from_dict(stored)).outcome(),
        "player state": lambda s: player_state(s, stored),
    }


class _Model:
    """The part of a course model the sequencing policy reads: its launchable items."""

    def __init__(self, tree: ActivityTree) -> None:
        self._items = {
            a.id: Item(a.id, a.title, launch_url=a.launch_url, scorm_type=a.scorm_type)
            for a in tree if a.is_leaf
        }

    def item(self, identifier: str) -> Item | None:
        return self._items.get(identifier)


def player_state(sequencer: Sequencer, stored: dict[str, object]) -> object:
    """What /runtime/toc computes for a 2004 course: the TOC entries, then the controls."""
    view = RegistrationView(
        model=_Model(sequencer.tree),  # type: ignore[arg-type]
        current_item=sequencer.current_activity, registration_id=1, sequencing=stored,
    )
    policy = SequencingPolicy(sequencer.tree)
    return policy.toc(view), policy.controls(view)


def baseline_walk(sequencer: Sequencer) -> int:
    """The baseline: visit every activity once and read its tracking state."""
    total = 0
    for activity in sequencer.tree:
        total += sequencer.ctx.s(activity).attempt_count
    return total


# --- timing -----------------------------------------------------------------------------


def measure(call: Callable[[], object], setup: Callable[[], object] | None, runs: int,
            budget: float) -> list[float]:
    """Milliseconds per call: ``runs`` times, fewer when ``budget`` seconds are spent."""
    times: list[float] = []
    spent = 0.0
    while len(times) < runs and (spent < budget or not times):
        argument = setup() if setup else None
        started = time.perf_counter()
        call() if argument is None else call(argument)  # type: ignore[call-arg]
        elapsed = time.perf_counter() - started
        spent += elapsed
        times.append(elapsed * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def bench_size(
    size: int, runs: int, budget: float, only: tuple[str, ...] = OPERATIONS
) -> dict[str, list[float]]:
    tree = build_course(size)
    sequencer = mid_course(tree)
    results = {"baseline walk": measure(lambda: baseline_walk(sequencer), None, runs * 4, budget)}
    for name, call in operations(sequencer).items():
        if name not in only:
            continue
        if name in ("request_valid", "toc", "outcome", "course result", "player state"):
            results[name] = measure(lambda c=call: c(sequencer), None, runs, budget)
        else:
            results[name] = measure(call, lambda: fork(sequencer), runs, budget)
    return results


def report(all_results: dict[int, dict[str, list[float]]]) -> None:
    sizes = sorted(all_results)
    names = ["baseline walk", *OPERATIONS]
    print(f"{'operation':<20}" + "".join(f"{f'n={n}':>30}" for n in sizes))
    print(f"{'':<20}" + "".join(f"{'median / p95 ms (runs)':>30}" for _ in sizes))
    for name in names:
        cells = []
        for n in sizes:
            times = all_results[n].get(name)
            cells.append(
                f"{statistics.median(times):9.3f} / {p95(times):9.3f} ({len(times):2d})"
                if times else "not measured"
            )
        print(f"{name:<20}" + "".join(f"{c:>30}" for c in cells))
    print("\ngrowth of the median between sizes (linear = size ratio)")
    pairs = list(zip(sizes, sizes[1:]))
    print(f"{'operation':<20}" + "".join(f"{f'{b}/{a} (x{b / a:g})':>22}" for a, b in pairs))
    for name in names:
        cells = [_ratio(all_results[b].get(name), all_results[a].get(name)) for a, b in pairs]
        print(f"{name:<20}" + "".join(f"{c:>22}" for c in cells))
    print("\nratio of the median to the baseline walk of the same tree")
    print(f"{'operation':<20}" + "".join(f"{f'n={n}':>14}" for n in sizes))
    for name in OPERATIONS:
        cells = [_ratio(all_results[n].get(name), all_results[n]["baseline walk"]) for n in sizes]
        print(f"{name:<20}" + "".join(f"{c:>14}" for c in cells))
    navigation = [all_results.get(1000, {}).get(n) for n in ("choice far leaf", "continue mid leaf")]
    if all(navigation):
        worst = max(statistics.median(times) for times in navigation)  # type: ignore[arg-type]
        verdict = "meets" if worst < 20 else "misses"
        print(f"\ngoal: one navigation request < 20 ms at 1,000 activities: {worst:.2f} ms, "
              f"{verdict} it")


def _ratio(top: list[float] | None, bottom: list[float] | None) -> str:
    if not top or not bottom:
        return "-"
    return f"{statistics.median(top) / statistics.median(bottom):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, sizes up to 1,000")
    parser.add_argument("--sizes", default=None, help="comma-separated tree sizes")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per operation")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds per operation and size before runs are cut short")
    parser.add_argument("--ops", default=None,
                        help="comma-separated operations to time (default: all)")
    args = parser.parse_args()
    only = tuple(args.ops.split(",")) if args.ops else OPERATIONS
    default_sizes = "100,1000" if args.quick else "100,1000,10000"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",")]
    runs = args.runs or (5 if args.quick else 15)
    budget = args.budget or (2.0 if args.quick else 10.0)
    results = {}
    for size in sizes:
        started = time.perf_counter()
        results[size] = bench_size(size, runs, budget, only)
        print(f"n={size}: measured in {time.perf_counter() - started:.1f} s", flush=True)
    report(results)


if __name__ == "__main__":
    main()
