"""The typed, in-memory model of an imported SCORM package.

This is what the rest of scorm-player knows of a package: the player reads the item tree and
launch URLs, the run-time reads the per-item launch data, and the sequencer reads the
``SequencingDefinition`` of every activity. It is plain data (dataclasses) so it can be stored
as JSON with the course version and rebuilt without the zip.

Defaults are the schema defaults of IMS CP, ADL CP, IMS SS and the ADL extensions, so an
attribute the manifest leaves out reads exactly as the standard says it should.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar


class ScormVersion(str, enum.Enum):
    SCORM_12 = "1.2"
    SCORM_2004 = "2004"


class Edition(str, enum.Enum):
    """The SCORM 2004 edition (``None`` on the package for 1.2)."""

    SECOND = "2nd"
    THIRD = "3rd"
    FOURTH = "4th"


# --- Sequencing definition (IMS SS as profiled by ADL; SN book section 3 / imsss schema) ----


@dataclass
class ControlMode:
    choice: bool = True
    choice_exit: bool = True
    flow: bool = False
    forward_only: bool = False
    use_current_attempt_objective_info: bool = True
    use_current_attempt_progress_info: bool = True


@dataclass
class RuleCondition:
    condition: str  # satisfied, objectiveStatusKnown, ..., always
    operator: str = "noOp"  # noOp | not
    referenced_objective: str | None = None
    measure_threshold: float = 0.0


@dataclass
class SequencingRule:
    kind: str  # pre | exit | post
    action: str  # skip, disabled, hiddenFromChoice, stopForwardTraversal, exit, exitParent, ...
    condition_combination: str = "all"  # all | any
    conditions: list[RuleCondition] = field(default_factory=list)


@dataclass
class LimitConditions:
    attempt_limit: int | None = None  # None = no limit; 0 is an active limit (ADL sample RTE)
    attempt_absolute_duration_limit: str | None = None  # ISO 8601 duration as written


@dataclass
class RollupCondition:
    condition: str
    operator: str = "noOp"


@dataclass
class RollupRule:
    action: str  # satisfied | notSatisfied | completed | incomplete
    child_activity_set: str = "all"  # all | any | none | atLeastCount | atLeastPercent
    minimum_count: int = 0
    minimum_percent: float = 0.0
    condition_combination: str = "any"
    conditions: list[RollupCondition] = field(default_factory=list)


@dataclass
class RollupControls:
    rollup_objective_satisfied: bool = True
    rollup_progress_completion: bool = True
    objective_measure_weight: float = 1.0


@dataclass
class RollupConsiderations:
    required_for_satisfied: str = "always"
    required_for_not_satisfied: str = "always"
    required_for_completed: str = "always"
    required_for_incomplete: str = "always"
    measure_satisfaction_if_active: bool = True


@dataclass
class MapInfo:
    """``imsss:mapInfo`` merged with the 4th edition ``adlseq:mapInfo`` of the same target."""

    target_objective_id: str
    read_satisfied_status: bool = True
    read_normalized_measure: bool = True
    write_satisfied_status: bool = False
    write_normalized_measure: bool = False
    # 4th edition adlseq:mapInfo
    read_raw_score: bool = True
    read_min_score: bool = True
    read_max_score: bool = True
    read_completion_status: bool = True
    read_progress_measure: bool = True
    write_raw_score: bool = False
    write_min_score: bool = False
    write_max_score: bool = False
    write_completion_status: bool = False
    write_progress_measure: bool = False


@dataclass
class Objective:
    objective_id: str | None  # optional on the primary objective only
    primary: bool = False
    satisfied_by_measure: bool = False
    min_normalized_measure: float = 1.0
    map_info: list[MapInfo] = field(default_factory=list)


@dataclass
class RandomizationControls:
    randomization_timing: str = "never"  # never | once | onEachNewAttempt
    select_count: int | None = None
    reorder_children: bool = False
    selection_timing: str = "never"


@dataclass
class DeliveryControls:
    tracked: bool = True
    completion_set_by_content: bool = False
    objective_set_by_content: bool = False


@dataclass
class ConstrainedChoiceConsiderations:
    prevent_activation: bool = False
    constrain_choice: bool = False


@dataclass
class SequencingDefinition:
    """The effective sequencing of one activity, after ``IDRef`` resolution."""

    control_mode: ControlMode = field(default_factory=ControlMode)
    rules: list[SequencingRule] = field(default_factory=list)
    limit_conditions: LimitConditions = field(default_factory=LimitConditions)
    rollup_rules: list[RollupRule] = field(default_factory=list)
    rollup_controls: RollupControls = field(default_factory=RollupControls)
    rollup_considerations: RollupConsiderations = field(default_factory=RollupConsiderations)
    objectives: list[Objective] = field(default_factory=list)
    randomization: RandomizationControls = field(default_factory=RandomizationControls)
    delivery_controls: DeliveryControls = field(default_factory=DeliveryControls)
    constrained_choice: ConstrainedChoiceConsiderations = field(
        default_factory=ConstrainedChoiceConsiderations
    )
    objectives_global_to_system: bool = True  # organization only (adlseq)
    id_ref: str | None = None  # the sequencingCollection entry it was built from

    @property
    def primary_objective(self) -> Objective | None:
        return next((o for o in self.objectives if o.primary), None)


# --- Content packaging ------------------------------------------------------------------


@dataclass
class CompletionThreshold:
    """``adlcp:completionThreshold``: text in the 3rd edition, attributes in the 4th."""

    completed_by_measure: bool = False
    min_progress_measure: float = 1.0
    progress_weight: float = 1.0


@dataclass
class SharedDataMap:
    """4th edition ``adlcp:data/adlcp:map``: an ``adl.data`` store this SCO may use."""

    target_id: str
    read_shared_data: bool = True
    write_shared_data: bool = True


@dataclass
class Resource:
    identifier: str
    type: str = "webcontent"
    scorm_type: str = "asset"  # sco | asset
    href: str | None = None  # as written, normalised (slashes), relative to the resolved base
    base: str = ""  # the resolved xml:base chain, relative to the package root ("" or "x/")
    files: list[str] = field(default_factory=list)  # paths relative to the package root
    dependencies: list[str] = field(default_factory=list)  # resource identifiers
    line: int | None = None  # where the resource starts in the manifest, for the report

    @property
    def is_sco(self) -> bool:
        return self.scorm_type == "sco"


@dataclass
class Item:
    """An ``item`` of an organization: a learning activity. Leaves are launchable."""

    identifier: str
    title: str
    is_visible: bool = True
    parameters: str | None = None
    identifierref: str | None = None
    resource_id: str | None = None  # resolved identifierref (None for clusters/headings)
    launch_url: str | None = None  # relative to the package root, parameters joined
    scorm_type: str | None = None  # of the launched resource: sco | asset
    children: list[Item] = field(default_factory=list)
    # SCORM 1.2 adlcp elements
    prerequisites: str | None = None
    prerequisites_type: str | None = None
    max_time_allowed: str | None = None
    time_limit_action: str | None = None
    data_from_lms: str | None = None
    mastery_score: float | None = None
    # SCORM 2004 adlcp / adlnav elements
    completion_threshold: CompletionThreshold | None = None
    shared_data: list[SharedDataMap] = field(default_factory=list)
    hide_lms_ui: list[str] = field(default_factory=list)
    sequencing: SequencingDefinition | None = None
    line: int | None = None  # where the item starts in the manifest, for the report

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def is_launchable(self) -> bool:
        return self.is_leaf and self.launch_url is not None

    def walk(self) -> typing.Iterator[Item]:
        """This item and all its descendants, in document (flow) order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Organization:
    identifier: str
    title: str
    items: list[Item] = field(default_factory=list)
    structure: str = "hierarchical"
    objectives_global_to_system: bool = True
    shared_data_global_to_system: bool = True
    completion_threshold: CompletionThreshold | None = None
    sequencing: SequencingDefinition | None = None

    def walk(self) -> typing.Iterator[Item]:
        for item in self.items:
            yield from item.walk()

    def launchable_items(self) -> list[Item]:
        return [item for item in self.walk() if item.is_launchable]


@dataclass
class Package:
    """A parsed package. ``root`` is the folder in the zip that holds the manifest."""

    identifier: str
    version: ScormVersion
    edition: Edition | None = None
    schemaversion_raw: str | None = None
    title: str = ""
    description: str | None = None
    root: str = ""  # "" or "folder/" when the manifest sits in a single top folder
    default_organization: str | None = None
    organizations: list[Organization] = field(default_factory=list)
    resources: dict[str, Resource] = field(default_factory=dict)

    @property
    def version_label(self) -> str:
        """What people call it: "SCORM 1.2" or "SCORM 2004 4th Edition"."""
        if self.version is ScormVersion.SCORM_12:
            return "SCORM 1.2"
        edition = self.edition.value if self.edition else "3rd"
        return f"SCORM 2004 {edition} Edition"

    @property
    def organization(self) -> Organization | None:
        """The organization delivered to learners."""
        for org in self.organizations:
            if org.identifier == self.default_organization:
                return org
        return self.organizations[0] if self.organizations else None

    @property
    def sco_count(self) -> int:
        org = self.organization
        return sum(1 for i in org.launchable_items() if i.scorm_type == "sco") if org else 0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Package:
        return _build(cls, data)


# --- JSON round trip ---------------------------------------------------------------------

T = TypeVar("T")


def _build(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass tree from ``dataclasses.asdict`` output, guided by type hints."""
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        return [_convert(args[0], v) for v in value]
    if origin is dict:
        return {k: _convert(args[1], v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return _build(hint, value)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    return value
