"""The activity tree (SN book 3.1): one activity per item, the organization as root.

The tree is the static half of sequencing: structure, titles and the effective
``SequencingDefinition`` of every activity (the importer already resolved ``IDRef``; an
item without ``imsss:sequencing`` gets the schema defaults here). What changes during a
registration (available children, attempts, objectives) lives in ``state.py``.

Every activity has a primary objective. When the manifest declares none, an anonymous one
is added, as the ADL Sample RTE does, so rollup always has a rolled-up objective.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field

from scorm_player.packaging.model import (
    CompletionThreshold,
    Item,
    Objective,
    Organization,
    Package,
    SequencingDefinition,
)

PRIMARY_KEY = ""  # state key of a primary objective that has no objectiveID


def objective_key(objective: Objective) -> str:
    """The key of an objective's progress information in ``ActivityState.objectives``."""
    return objective.objective_id or PRIMARY_KEY


@dataclass(eq=False)
class Activity:
    """One node of the activity tree. Identity is the manifest identifier."""

    id: str
    title: str
    definition: SequencingDefinition
    completion_threshold: CompletionThreshold
    is_visible: bool = True
    launch_url: str | None = None
    scorm_type: str | None = None
    parent: Activity | None = None
    children: list[Activity] = field(default_factory=list)
    index: int = 0  # position in a pre-order (document order) walk of the whole tree

    def __repr__(self) -> str:
        return f"Activity({self.id!r})"

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def is_root(self) -> bool:
        return self.parent is None

    @property
    def objectives(self) -> list[Objective]:
        return self.definition.objectives

    @property
    def primary_objective(self) -> Objective:
        primary = self.definition.primary_objective
        assert primary is not None  # guaranteed by ActivityTree
        return primary

    def objective(self, objective_id: str | None) -> Objective | None:
        """The local objective with ``objective_id``; the primary one for ``None``."""
        if objective_id is None:
            return self.primary_objective
        return next((o for o in self.objectives if o.objective_id == objective_id), None)

    def path_to_root(self) -> list[Activity]:
        """This activity, its parent, ... the root (inclusive both ends)."""
        path, walk = [], self
        while walk is not None:
            path.append(walk)
            walk = walk.parent
        return path

    def is_ancestor_of(self, other: Activity) -> bool:
        """True when this activity is a proper ancestor of ``other``."""
        walk = other.parent
        while walk is not None:
            if walk is self:
                return True
            walk = walk.parent
        return False


class ActivityTree:
    """The activity tree of one organization, indexed by identifier and document order."""

    def __init__(self, root: Activity, objectives_global_to_system: bool = True) -> None:
        self.root = root
        self.objectives_global_to_system = objectives_global_to_system
        self.preorder: list[Activity] = list(_walk(root))
        self.by_id: dict[str, Activity] = {}
        for index, activity in enumerate(self.preorder):
            activity.index = index
            self.by_id[activity.id] = activity

    def __iter__(self) -> Iterator[Activity]:
        return iter(self.preorder)

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self.by_id

    def get(self, activity_id: str | None) -> Activity | None:
        return self.by_id.get(activity_id) if activity_id is not None else None

    def __getitem__(self, activity_id: str) -> Activity:
        return self.by_id[activity_id]

    @staticmethod
    def common_ancestor(a: Activity, b: Activity) -> Activity:
        """The deepest activity that is ``a`` or an ancestor of ``a`` and of ``b``."""
        ancestors_of_b = {id(x) for x in b.path_to_root()}
        for walk in a.path_to_root():
            if id(walk) in ancestors_of_b:
                return walk
        raise ValueError("activities of different trees")

    @property
    def global_objective_ids(self) -> set[str]:
        """Every ``targetObjectiveID`` that some mapInfo of this tree names."""
        return {
            m.target_objective_id for a in self for o in a.objectives for m in o.map_info
        }

    @classmethod
    def from_package(cls, package: Package) -> ActivityTree:
        """The tree of the package's default organization."""
        organization = package.organization
        if organization is None:
            raise ValueError("the package has no organization")
        return cls.from_organization(organization)

    @classmethod
    def from_organization(cls, organization: Organization) -> ActivityTree:
        root = Activity(
            id=organization.identifier,
            title=organization.title,
            definition=_definition(organization.sequencing),
            completion_threshold=organization.completion_threshold or CompletionThreshold(),
        )
        root.children = [_activity(item, root) for item in organization.items]
        return cls(root, organization.objectives_global_to_system)


def _activity(item: Item, parent: Activity) -> Activity:
    activity = Activity(
        id=item.identifier,
        title=item.title,
        definition=_definition(item.sequencing),
        completion_threshold=item.completion_threshold or CompletionThreshold(),
        is_visible=item.is_visible,
        launch_url=item.launch_url,
        scorm_type=item.scorm_type,
        parent=parent,
    )
    activity.children = [_activity(child, activity) for child in item.children]
    return activity


def _definition(sequencing: SequencingDefinition | None) -> SequencingDefinition:
    """A private copy of the definition, with defaults and a primary objective."""
    definition = copy.deepcopy(sequencing) if sequencing else SequencingDefinition()
    if definition.primary_objective is None:
        definition.objectives.insert(0, Objective(objective_id=None, primary=True))
    return definition


def _walk(activity: Activity) -> Iterator[Activity]:
    yield activity
    for child in activity.children:
        yield from _walk(child)
