"""The readers for each child element of ``imsss:sequencing`` (sequencing-2004.md §3).

``PartReader.read_parts`` turns one ``imsss:sequencing`` element into a *partial definition*:
for each child element kind present, the ``SequencingDefinition`` fields it sets. Keeping
the parts apart is what lets ``sequencing_xml`` let an item's own elements replace a
collection entry's, kind by kind.

Every element and attribute of the IMS SS schema as profiled by ADL, and of the ``adlseq``
extensions, lands in a field; ``imsss:auxiliaryResources`` is the one element SCORM tells
the LMS to ignore. Tokens outside their vocabulary are ``SEQUENCING_BAD_VALUE`` errors, since
no default is safe for them; bad numbers and booleans fall back to the schema default with a
``BAD_VALUE`` warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from scorm_player.packaging.model import (
    ConstrainedChoiceConsiderations,
    ControlMode,
    DeliveryControls,
    LimitConditions,
    MapInfo,
    Objective,
    RandomizationControls,
    RollupCondition,
    RollupConsiderations,
    RollupControls,
    RollupRule,
    RuleCondition,
    SequencingRule,
)
from scorm_player.packaging.namespaces import ADLSEQ, IMSSS, child, children, qname
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.sequencing_vocab import (
    ADLSEQ_MAP_READS,
    ADLSEQ_MAP_WRITES,
    CHILD_ACTIVITY_SETS,
    CONDITION_COMBINATIONS,
    OPERATORS,
    ROLLUP_ACTIONS,
    ROLLUP_CONDITIONS,
    ROLLUP_REQUIREMENTS,
    RULE_ACTIONS,
    RULE_CONDITIONS,
    TIMINGS,
)
from scorm_player.packaging.values import ValueReader, match_token, objective_identifier

Kind = tuple[str | None, str]
Fields = dict[str, Any]
Partial = dict[Kind, Fields]
#: 4th ed. ``adlseq:objectives``: (objectiveID, [(targetObjectiveID, flags)], line) each.
AdlseqObjectives = list[tuple[str, list[tuple[str, dict[str, bool]]], int | None]]

#: The partial-only field holding ``AdlseqObjectives``, merged once the imsss objectives
#: of the effective definition are known.
ADLSEQ_OBJECTIVES = "_adlseq_objectives"
IMSSS_MAP_DEFAULTS = {
    "read_satisfied_status": True,
    "read_normalized_measure": True,
    "write_satisfied_status": False,
    "write_normalized_measure": False,
}
ADLSEQ_MAP_DEFAULTS = {
    **dict.fromkeys(ADLSEQ_MAP_READS, True),
    **dict.fromkeys(ADLSEQ_MAP_WRITES, False),
}

_RULE_KINDS = {"preConditionRule": "pre", "exitConditionRule": "exit", "postConditionRule": "post"}
#: ``xs:duration`` as ``attemptAbsoluteDurationLimit`` uses it (PnYnMnDTnHnMnS).
_DURATION = re.compile(
    r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
)
_IGNORED = {(IMSSS, "auxiliaryResources")}


class PartReader:
    """Reads the child elements of ``imsss:sequencing`` for one manifest."""

    def __init__(self, *, report: ImportReport, file: str) -> None:
        self._report = report
        self._file = file
        self._values = ValueReader(report, file)
        self._readers: dict[Kind, Callable[[etree._Element, str], Fields]] = {
            (IMSSS, "controlMode"): self._control_mode,
            (IMSSS, "sequencingRules"): self._sequencing_rules,
            (IMSSS, "limitConditions"): self._limit_conditions,
            (IMSSS, "rollupRules"): self._rollup_rules,
            (IMSSS, "objectives"): self._objectives,
            (IMSSS, "randomizationControls"): self._randomization,
            (IMSSS, "deliveryControls"): self._delivery_controls,
            (ADLSEQ, "constrainedChoiceConsiderations"): self._constrained_choice,
            (ADLSEQ, "rollupConsiderations"): self._rollup_considerations,
            (ADLSEQ, "objectives"): self._adlseq_objectives,
        }

    def read_parts(self, element: etree._Element, owner: str) -> Partial:
        partial: Partial = {}
        for part in element:
            kind = qname(part)
            reader = self._readers.get(kind)
            if reader is None:
                if kind[0] in (IMSSS, ADLSEQ) and kind not in _IGNORED:
                    self._values.warn(
                        f"{owner}: <{kind[1]}> is not a SCORM sequencing element; it was "
                        "ignored.",
                        line=part.sourceline,
                    )
            elif kind in partial:
                self._values.warn(
                    f"{owner}: <{kind[1]}> appears twice; the second one was ignored.",
                    line=part.sourceline,
                )
            else:
                partial[kind] = reader(part, owner)
        return partial

    # --- one reader per child element kind; each returns SequencingDefinition fields -----

    def _control_mode(self, el: etree._Element, owner: str) -> Fields:
        return {"control_mode": ControlMode(**self._booleans(el, owner, vars(ControlMode())))}

    def _sequencing_rules(self, el: etree._Element, owner: str) -> Fields:
        rules = []
        for rule_el in el:
            namespace, local = qname(rule_el)
            if namespace == IMSSS and local in _RULE_KINDS:
                rules.append(self._rule(rule_el, _RULE_KINDS[local], owner))
        return {"rules": rules}

    def _rule(self, el: etree._Element, kind: str, owner: str) -> SequencingRule:
        action_el = child(el, IMSSS, "ruleAction")
        combination, conditions = self._conditions(
            el, owner, ("ruleConditions", "ruleCondition"), "all", self._rule_condition
        )
        return SequencingRule(
            kind=kind,
            action=self._token(action_el, "action", RULE_ACTIONS[kind], owner, parent=el),
            condition_combination=combination,
            conditions=conditions,
        )

    def _rule_condition(self, el: etree._Element, owner: str) -> RuleCondition:
        return RuleCondition(
            condition=self._token(el, "condition", RULE_CONDITIONS, owner),
            operator=self._token(el, "operator", OPERATORS, owner, default="noOp"),
            referenced_objective=objective_identifier(el.get("referencedObjective")),
            measure_threshold=self._decimal(el, "measureThreshold", 0.0, owner, low=-1.0),
        )

    def _limit_conditions(self, el: etree._Element, owner: str) -> Fields:
        duration = el.get("attemptAbsoluteDurationLimit")
        if duration is not None and not _DURATION.fullmatch(duration.strip()):
            self._values.warn(
                f"{_what(owner, el, 'attemptAbsoluteDurationLimit')}: '{duration}' is not an "
                "ISO 8601 duration (like PT1H30M); no duration limit was set.",
                line=el.sourceline,
            )
            duration = None
        limits = LimitConditions(
            attempt_limit=self._values.integer(
                el.get("attemptLimit"), None, what=_what(owner, el, "attemptLimit"),
                line=el.sourceline,
            ),
            attempt_absolute_duration_limit=duration.strip() if duration else None,
        )
        return {"limit_conditions": limits}

    def _rollup_rules(self, el: etree._Element, owner: str) -> Fields:
        flags = {k: v for k, v in vars(RollupControls()).items() if isinstance(v, bool)}
        controls = RollupControls(
            **self._booleans(el, owner, flags),
            objective_measure_weight=self._decimal(el, "objectiveMeasureWeight", 1.0, owner),
        )
        rules = [self._rollup_rule(r, owner) for r in children(el, IMSSS, "rollupRule")]
        return {"rollup_rules": rules, "rollup_controls": controls}

    def _rollup_rule(self, el: etree._Element, owner: str) -> RollupRule:
        action_el = child(el, IMSSS, "rollupAction")
        rule = RollupRule(
            action=self._token(action_el, "action", ROLLUP_ACTIONS, owner, parent=el),
            child_activity_set=self._token(
                el, "childActivitySet", CHILD_ACTIVITY_SETS, owner, default="all"
            ),
            minimum_count=self._values.integer(
                el.get("minimumCount"), 0, what=_what(owner, el, "minimumCount"),
                line=el.sourceline,
            ),
            minimum_percent=self._decimal(el, "minimumPercent", 0.0, owner),
        )
        rule.condition_combination, rule.conditions = self._conditions(
            el, owner, ("rollupConditions", "rollupCondition"), "any", self._rollup_condition
        )
        return rule

    def _rollup_condition(self, el: etree._Element, owner: str) -> RollupCondition:
        return RollupCondition(
            condition=self._token(el, "condition", ROLLUP_CONDITIONS, owner),
            operator=self._token(el, "operator", OPERATORS, owner, default="noOp"),
        )

    def _conditions(
        self,
        rule: etree._Element,
        owner: str,
        names: tuple[str, str],
        default_combination: str,
        read: Callable[[etree._Element, str], Any],
    ) -> tuple[str, list[Any]]:
        """A rule's ``*Conditions/@conditionCombination`` and its conditions (1 or more)."""
        container, name = names
        conditions_el = child(rule, IMSSS, container)
        combination, conditions = default_combination, []
        if conditions_el is not None:
            combination = self._token(
                conditions_el, "conditionCombination", CONDITION_COMBINATIONS, owner,
                default=default_combination,
            )
            conditions = [read(c, owner) for c in children(conditions_el, IMSSS, name)]
        if not conditions:
            self._values.warn(
                f"{owner}: a <{qname(rule)[1]}> has no {name}.", line=rule.sourceline
            )
        return combination, conditions

    def _objectives(self, el: etree._Element, owner: str) -> Fields:
        objectives = []
        for obj_el in el:
            namespace, local = qname(obj_el)
            if namespace == IMSSS and local in ("primaryObjective", "objective"):
                objectives.append(self._objective(obj_el, local == "primaryObjective", owner))
        return {"objectives": objectives}

    def _objective(self, el: etree._Element, primary: bool, owner: str) -> Objective:
        objective_id = objective_identifier(el.get("objectiveID"))
        if objective_id is None and not primary:
            self._values.warn(
                f"{owner}: an <objective> has no objectiveID, so content cannot report on it.",
                line=el.sourceline,
            )
        objective = Objective(
            objective_id=objective_id,
            primary=primary,
            satisfied_by_measure=self._values.boolean(
                el.get("satisfiedByMeasure"), False,
                what=_what(owner, el, "satisfiedByMeasure"), line=el.sourceline,
            ),
        )
        measure_el = child(el, IMSSS, "minNormalizedMeasure")
        if measure_el is not None:
            objective.min_normalized_measure = self._values.decimal(
                measure_el.text or "", 1.0, low=-1.0, high=1.0,
                what=f"{owner}, minNormalizedMeasure", line=measure_el.sourceline,
            )
        for map_el in children(el, IMSSS, "mapInfo"):
            target = self._target(map_el, owner)
            if target is not None:
                flags = self._booleans(map_el, owner, IMSSS_MAP_DEFAULTS)
                no_adlseq = dict.fromkeys(ADLSEQ_MAP_DEFAULTS, False)
                objective.map_info.append(MapInfo(target, **flags, **no_adlseq))
        return objective

    def _adlseq_objectives(self, el: etree._Element, owner: str) -> Fields:
        """4th ed. ``adlseq:objective/adlseq:mapInfo``, merged into the imsss objectives."""
        adopted = []
        for obj_el in children(el, ADLSEQ, "objective"):
            maps = []
            for map_el in children(obj_el, ADLSEQ, "mapInfo"):
                target = self._target(map_el, owner)
                if target is not None:
                    maps.append((target, self._booleans(map_el, owner, ADLSEQ_MAP_DEFAULTS)))
            objective_id = objective_identifier(obj_el.get("objectiveID")) or ""
            adopted.append((objective_id, maps, obj_el.sourceline))
        return {ADLSEQ_OBJECTIVES: adopted}

    def _randomization(self, el: etree._Element, owner: str) -> Fields:
        controls = RandomizationControls(
            randomization_timing=self._token(
                el, "randomizationTiming", TIMINGS, owner, default="never"
            ),
            selection_timing=self._token(el, "selectionTiming", TIMINGS, owner, default="never"),
            select_count=self._values.integer(
                el.get("selectCount"), None, what=_what(owner, el, "selectCount"),
                line=el.sourceline,
            ),
            reorder_children=self._values.boolean(
                el.get("reorderChildren"), False, what=_what(owner, el, "reorderChildren"),
                line=el.sourceline,
            ),
        )
        return {"randomization": controls}

    def _delivery_controls(self, el: etree._Element, owner: str) -> Fields:
        flags = self._booleans(el, owner, vars(DeliveryControls()))
        return {"delivery_controls": DeliveryControls(**flags)}

    def _constrained_choice(self, el: etree._Element, owner: str) -> Fields:
        flags = self._booleans(el, owner, vars(ConstrainedChoiceConsiderations()))
        return {"constrained_choice": ConstrainedChoiceConsiderations(**flags)}

    def _rollup_considerations(self, el: etree._Element, owner: str) -> Fields:
        defaults = vars(RollupConsiderations())
        values: dict[str, Any] = {
            name: self._token(el, _camel(name), ROLLUP_REQUIREMENTS, owner, default=default)
            for name, default in defaults.items()
            if isinstance(default, str)
        }
        values.update(self._booleans(el, owner, {"measure_satisfaction_if_active": True}))
        return {"rollup_considerations": RollupConsiderations(**values)}

    # --- values -------------------------------------------------------------------------

    def _booleans(self, el: etree._Element, owner: str, defaults: dict[str, Any]) -> Fields:
        """Each ``snake_case`` default read from its ``camelCase`` attribute of ``el``."""
        return {
            name: self._values.boolean(
                el.get(_camel(name)), default, what=_what(owner, el, _camel(name)),
                line=el.sourceline,
            )
            for name, default in defaults.items()
        }

    def _decimal(
        self, el: etree._Element, attribute: str, default: float, owner: str, *, low: float = 0.0
    ) -> float:
        return self._values.decimal(
            el.get(attribute), default, low=low, high=1.0, what=_what(owner, el, attribute),
            line=el.sourceline,
        )

    def _target(self, el: etree._Element, owner: str) -> str | None:
        target = objective_identifier(el.get("targetObjectiveID")) or ""
        if not target:
            self._values.warn(
                f"{owner}: a <mapInfo> has no targetObjectiveID and was ignored.",
                line=el.sourceline,
            )
        return target or None

    def _token(
        self,
        el: etree._Element | None,
        attribute: str,
        vocabulary: tuple[str, ...],
        owner: str,
        *,
        default: str | None = None,
        parent: etree._Element | None = None,
    ) -> str:
        """A vocabulary token, which cannot be defaulted safely when it is wrong.

        Absent with a schema default: the default. Absent when required (a rule's action or
        condition), or outside the vocabulary: ``SEQUENCING_BAD_VALUE``. A case slip is fixed
        with a ``BAD_VALUE`` warning.
        """
        raw = el.get(attribute) if el is not None else None
        if raw is None and default is not None:
            return default
        value = match_token(raw, vocabulary) if raw is not None else None
        name = qname(el)[1] if el is not None else _action_element(parent)
        line = (el if el is not None else parent).sourceline  # type: ignore[union-attr]
        if value is None:
            self._report.error(
                Code.SEQUENCING_BAD_VALUE,
                f"{owner}: unsupported sequencing value '{raw or ''}' for {name}/@{attribute}.",
                file=self._file,
                line=line,
                hint="Allowed values: " + ", ".join(vocabulary) + ".",
            )
            return default or ""
        if raw is not None and value != raw.strip():
            self._values.warn(
                f"{owner}, {name}/@{attribute}: '{raw}' was read as '{value}'.", line=line
            )
        return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _what(owner: str, el: etree._Element, attribute: str) -> str:
    return f"{owner}, {qname(el)[1]}/@{attribute}"


def _action_element(rule: etree._Element | None) -> str:
    """The name of the missing action child of a sequencing or rollup rule."""
    return "rollupAction" if rule is not None and qname(rule)[1] == "rollupRule" else "ruleAction"
