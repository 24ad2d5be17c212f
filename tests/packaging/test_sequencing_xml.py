"""imsss:sequencing → SequencingDefinition (sequencing-2004.md §3, cam-packaging.md §5.4)."""

from __future__ import annotations

import pytest
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
    SequencingDefinition,
    SequencingRule,
)
from scorm_player.packaging.namespaces import IMSCP_2004, IMSSS
from scorm_player.packaging.report import Code, ImportReport, Severity
from scorm_player.packaging.sequencing_vocab import RULE_ACTIONS
from scorm_player.packaging.sequencing_xml import SequencingReader, collection_entries
from tests.packaging.manifests import NS_2004, codes, only


def _read(
    body: str, *, collection: str = "", id_ref: str | None = None
) -> tuple[SequencingDefinition, ImportReport]:
    """Read ``<imsss:sequencing>body</imsss:sequencing>`` of item 'i1'."""
    ref = f' IDRef="{id_ref}"' if id_ref else ""
    root = etree.fromstring(
        f"<manifest {NS_2004}><item><imsss:sequencing{ref}>{body}</imsss:sequencing></item>"
        f"<imsss:sequencingCollection>{collection}</imsss:sequencingCollection></manifest>"
    )
    report = ImportReport()
    entries = collection_entries(root, report=report, file="imsmanifest.xml")
    reader = SequencingReader(entries, report=report, file="imsmanifest.xml")
    element = root.find(f"{{{IMSCP_2004}}}item/{{{IMSSS}}}sequencing")
    definition = reader.read(element, owner="Item 'i1'")
    assert definition is not None
    return definition, report


def _rule(kind: str, action: str, condition: str = "satisfied", **attributes: str) -> str:
    element = {"pre": "preConditionRule", "exit": "exitConditionRule", "post": "postConditionRule"}
    extra = "".join(f' {k}="{v}"' for k, v in attributes.items())
    return (
        f"<imsss:sequencingRules><imsss:{element[kind]}><imsss:ruleConditions>"
        f'<imsss:ruleCondition condition="{condition}"{extra}/></imsss:ruleConditions>'
        f'<imsss:ruleAction action="{action}"/></imsss:{element[kind]}></imsss:sequencingRules>'
    )


def test_an_empty_sequencing_element_has_the_schema_defaults() -> None:
    definition, report = _read("")
    assert definition == SequencingDefinition()
    assert definition.control_mode.flow is False  # §3.1: flow defaults to false
    assert report.findings == []


FULL = """
<imsss:controlMode choice="false" choiceExit="false" flow="true" forwardOnly="true"
    useCurrentAttemptObjectiveInfo="false" useCurrentAttemptProgressInfo="false"/>
<imsss:sequencingRules>
  <imsss:preConditionRule>
    <imsss:ruleConditions conditionCombination="any">
      <imsss:ruleCondition referencedObjective="obj2" measureThreshold="-0.5" operator="not"
          condition="objectiveMeasureLessThan"/>
      <imsss:ruleCondition condition="always"/>
    </imsss:ruleConditions>
    <imsss:ruleAction action="hiddenFromChoice"/>
  </imsss:preConditionRule>
  <imsss:exitConditionRule>
    <imsss:ruleConditions>
      <imsss:ruleCondition condition="timeLimitExceeded"/>
    </imsss:ruleConditions>
    <imsss:ruleAction action="exit"/>
  </imsss:exitConditionRule>
  <imsss:postConditionRule>
    <imsss:ruleConditions><imsss:ruleCondition condition="completed"/></imsss:ruleConditions>
    <imsss:ruleAction action="exitAll"/>
  </imsss:postConditionRule>
</imsss:sequencingRules>
<imsss:limitConditions attemptLimit="2" attemptAbsoluteDurationLimit="P1DT2H"/>
<imsss:auxiliaryResources/>
<imsss:rollupRules rollupObjectiveSatisfied="false" rollupProgressCompletion="false"
    objectiveMeasureWeight="0.25">
  <imsss:rollupRule childActivitySet="atLeastPercent" minimumCount="3" minimumPercent="0.75">
    <imsss:rollupConditions conditionCombination="all">
      <imsss:rollupCondition operator="not" condition="attemptLimitExceeded"/>
    </imsss:rollupConditions>
    <imsss:rollupAction action="notSatisfied"/>
  </imsss:rollupRule>
</imsss:rollupRules>
<imsss:objectives>
  <imsss:primaryObjective objectiveID="obj1" satisfiedByMeasure="true">
    <imsss:minNormalizedMeasure>0.4</imsss:minNormalizedMeasure>
    <imsss:mapInfo targetObjectiveID="g1" readSatisfiedStatus="false"
        readNormalizedMeasure="false" writeSatisfiedStatus="true" writeNormalizedMeasure="true"/>
  </imsss:primaryObjective>
  <imsss:objective objectiveID="obj2"/>
</imsss:objectives>
<imsss:randomizationControls randomizationTiming="once" selectCount="4" reorderChildren="true"
    selectionTiming="onEachNewAttempt"/>
<imsss:deliveryControls tracked="false" completionSetByContent="true"
    objectiveSetByContent="true"/>
<adlseq:constrainedChoiceConsiderations preventActivation="true" constrainChoice="true"/>
<adlseq:rollupConsiderations requiredForSatisfied="ifNotSuspended"
    requiredForNotSatisfied="ifAttempted" requiredForCompleted="ifNotSkipped"
    requiredForIncomplete="ifAttempted" measureSatisfactionIfActive="false"/>
<adlseq:objectives>
  <adlseq:objective objectiveID="obj1">
    <adlseq:mapInfo targetObjectiveID="g1" readRawScore="false" readMinScore="false"
        readMaxScore="false" readCompletionStatus="false" readProgressMeasure="false"
        writeRawScore="true" writeMinScore="true" writeMaxScore="true"
        writeCompletionStatus="true" writeProgressMeasure="true"/>
  </adlseq:objective>
</adlseq:objectives>
"""


def test_every_element_and_attribute_of_the_schema_lands_in_the_model() -> None:
    """Each value in FULL differs from its default, so a dropped one shows up here."""
    definition, report = _read(FULL)
    assert report.findings == []
    assert definition == SequencingDefinition(
        control_mode=ControlMode(False, False, True, True, False, False),
        rules=[
            SequencingRule(
                "pre",
                "hiddenFromChoice",
                "any",
                [
                    RuleCondition("objectiveMeasureLessThan", "not", "obj2", -0.5),
                    RuleCondition("always"),
                ],
            ),
            SequencingRule("exit", "exit", "all", [RuleCondition("timeLimitExceeded")]),
            SequencingRule("post", "exitAll", "all", [RuleCondition("completed")]),
        ],
        limit_conditions=LimitConditions(2, "P1DT2H"),
        rollup_rules=[
            RollupRule(
                "notSatisfied", "atLeastPercent", 3, 0.75, "all",
                [RollupCondition("attemptLimitExceeded", "not")],
            ),
        ],
        rollup_controls=RollupControls(False, False, 0.25),
        rollup_considerations=RollupConsiderations(
            "ifNotSuspended", "ifAttempted", "ifNotSkipped", "ifAttempted", False
        ),
        objectives=[
            Objective(
                "obj1", True, True, 0.4,
                [MapInfo("g1", False, False, True, True, *[False] * 5, *[True] * 5)],
            ),
            Objective("obj2"),
        ],
        randomization=RandomizationControls("once", 4, True, "onEachNewAttempt"),
        delivery_controls=DeliveryControls(False, True, True),
        constrained_choice=ConstrainedChoiceConsiderations(True, True),
    )


@pytest.mark.parametrize(
    ("written", "value"),
    [("true", True), ("True", True), ("1", True), ("FALSE", False), ("0", False),
     (" false ", False)],
)
def test_booleans_are_read_case_insensitively(written: str, value: bool) -> None:
    definition, report = _read(f'<imsss:controlMode flow="{written}"/>')
    assert definition.control_mode.flow is value
    assert report.findings == []


def test_a_bad_boolean_is_defaulted_with_a_warning() -> None:
    definition, report = _read('<imsss:deliveryControls tracked="yes"/>')
    assert definition.delivery_controls.tracked is True
    warning = only(report, Code.BAD_VALUE)
    assert warning.severity is Severity.WARNING
    assert "deliveryControls/@tracked: 'yes' is not a boolean" in warning.message


@pytest.mark.parametrize(
    ("body", "field", "default"),
    [
        ('<imsss:rollupRules objectiveMeasureWeight="heavy"/>', "objective_measure_weight", 1.0),
        ('<imsss:rollupRules objectiveMeasureWeight="1.5"/>', "objective_measure_weight", 1.0),
        ('<imsss:rollupRules objectiveMeasureWeight="1e-1"/>', "objective_measure_weight", 1.0),
    ],
)
def test_a_bad_decimal_is_defaulted_with_a_warning(body: str, field: str, default: float) -> None:
    definition, report = _read(body)
    assert getattr(definition.rollup_controls, field) == default
    assert codes(report) == [Code.BAD_VALUE]


def test_a_bad_measure_threshold_is_defaulted_with_a_warning() -> None:
    body = _rule("pre", "skip", "objectiveMeasureGreaterThan", measureThreshold="high")
    definition, report = _read(body)
    assert definition.rules[0].conditions[0].measure_threshold == 0.0
    assert codes(report) == [Code.BAD_VALUE]


def test_a_bad_min_normalized_measure_is_defaulted_with_a_warning() -> None:
    definition, report = _read(
        "<imsss:objectives><imsss:primaryObjective><imsss:minNormalizedMeasure>2"
        "</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>"
    )
    assert definition.objectives[0].min_normalized_measure == 1.0
    assert codes(report) == [Code.BAD_VALUE]


@pytest.mark.parametrize(("kind", "actions"), RULE_ACTIONS.items())
def test_each_rule_kind_accepts_its_actions(kind: str, actions: tuple[str, ...]) -> None:
    for action in actions:
        definition, report = _read(_rule(kind, action))
        assert (definition.rules[0].kind, definition.rules[0].action) == (kind, action)
        assert report.findings == []


def test_rules_keep_document_order_across_kinds() -> None:
    body = (_rule("post", "retry") + _rule("pre", "skip") + _rule("pre", "disabled")).replace(
        "</imsss:sequencingRules><imsss:sequencingRules>", ""
    )
    definition, _ = _read(body)
    assert [(r.kind, r.action) for r in definition.rules] == [
        ("post", "retry"), ("pre", "skip"), ("pre", "disabled")
    ]


def test_an_unknown_rule_action_is_an_error() -> None:
    definition, report = _read(_rule("pre", "jump"))
    error = only(report, Code.SEQUENCING_BAD_VALUE)
    assert error.severity is Severity.ERROR
    assert error.message == (
        "Item 'i1': unsupported sequencing value 'jump' for ruleAction/@action."
    )
    assert error.file == "imsmanifest.xml" and error.line == 1


def test_an_action_of_another_rule_kind_is_an_error() -> None:
    _, report = _read(_rule("pre", "exitAll"))
    assert codes(report) == [Code.SEQUENCING_BAD_VALUE]


def test_a_rule_without_an_action_is_an_error() -> None:
    _, report = _read(
        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions>'
        "</imsss:preConditionRule></imsss:sequencingRules>"
    )
    error = only(report, Code.SEQUENCING_BAD_VALUE)
    assert error.message == "Item 'i1': unsupported sequencing value '' for ruleAction/@action."


@pytest.mark.parametrize(
    ("body", "element"),
    [
        (_rule("pre", "skip", "passed"), "ruleCondition/@condition"),
        (_rule("pre", "skip", "satisfied", operator="and"), "ruleCondition/@operator"),
        (_rule("pre", "skip").replace("<imsss:ruleConditions>",
                                      '<imsss:ruleConditions conditionCombination="some">'),
         "ruleConditions/@conditionCombination"),
        ('<imsss:rollupRules><imsss:rollupRule childActivitySet="most"><imsss:rollupConditions>'
         '<imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>'
         '<imsss:rollupAction action="satisfied"/></imsss:rollupRule></imsss:rollupRules>',
         "rollupRule/@childActivitySet"),
        ('<imsss:rollupRules><imsss:rollupRule><imsss:rollupConditions>'
         '<imsss:rollupCondition condition="always"/></imsss:rollupConditions>'
         '<imsss:rollupAction action="satisfied"/></imsss:rollupRule></imsss:rollupRules>',
         "rollupCondition/@condition"),
        ('<imsss:rollupRules><imsss:rollupRule><imsss:rollupConditions>'
         '<imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>'
         '<imsss:rollupAction action="passed"/></imsss:rollupRule></imsss:rollupRules>',
         "rollupAction/@action"),
        ('<imsss:randomizationControls selectionTiming="daily"/>',
         "randomizationControls/@selectionTiming"),
        ('<imsss:randomizationControls randomizationTiming="always"/>',
         "randomizationControls/@randomizationTiming"),
        ('<adlseq:rollupConsiderations requiredForCompleted="sometimes"/>',
         "rollupConsiderations/@requiredForCompleted"),
    ],
)
def test_a_token_outside_its_vocabulary_is_an_error(body: str, element: str) -> None:
    _, report = _read(body)
    error = only(report, Code.SEQUENCING_BAD_VALUE)
    assert error.message.endswith(f" for {element}.")


def test_a_token_in_the_wrong_case_is_fixed_with_a_warning() -> None:
    definition, report = _read(_rule("pre", "Skip", "Satisfied"))
    assert definition.rules[0].action == "skip"
    assert definition.rules[0].conditions[0].condition == "satisfied"
    assert codes(report) == [Code.BAD_VALUE, Code.BAD_VALUE]


def test_rollup_rule_defaults() -> None:
    definition, report = _read(
        "<imsss:rollupRules><imsss:rollupRule><imsss:rollupConditions>"
        '<imsss:rollupCondition condition="completed"/></imsss:rollupConditions>'
        '<imsss:rollupAction action="completed"/></imsss:rollupRule></imsss:rollupRules>'
    )
    assert definition.rollup_rules == [
        RollupRule("completed", "all", 0, 0.0, "any", [RollupCondition("completed", "noOp")])
    ]
    assert definition.rollup_controls == RollupControls()
    assert report.findings == []


def test_attempt_limit_zero_is_kept_as_an_active_limit() -> None:
    definition, report = _read('<imsss:limitConditions attemptLimit="0"/>')
    assert definition.limit_conditions.attempt_limit == 0
    assert report.findings == []


@pytest.mark.parametrize(
    "attributes", ['attemptLimit="-1"', 'attemptLimit="two"', 'attemptAbsoluteDurationLimit="1h"']
)
def test_bad_limits_are_dropped_with_a_warning(attributes: str) -> None:
    definition, report = _read(f"<imsss:limitConditions {attributes}/>")
    assert definition.limit_conditions == LimitConditions()
    assert codes(report) == [Code.BAD_VALUE]


def test_map_info_defaults() -> None:
    definition, _ = _read(
        "<imsss:objectives><imsss:primaryObjective>"
        '<imsss:mapInfo targetObjectiveID="g"/></imsss:primaryObjective></imsss:objectives>'
    )
    (info,) = definition.objectives[0].map_info
    assert (info.read_satisfied_status, info.read_normalized_measure) == (True, True)
    assert (info.write_satisfied_status, info.write_normalized_measure) == (False, False)


def test_an_imsss_only_map_reads_and_writes_nothing_through_adlseq() -> None:
    definition, _ = _read(
        "<imsss:objectives><imsss:primaryObjective>"
        '<imsss:mapInfo targetObjectiveID="g"/></imsss:primaryObjective></imsss:objectives>'
    )
    info = definition.objectives[0].map_info[0]
    assert not (info.read_raw_score or info.read_completion_status or info.write_raw_score)


def test_an_adlseq_map_joins_the_imsss_map_of_the_same_target() -> None:
    definition, report = _read(
        '<imsss:objectives><imsss:primaryObjective objectiveID="o">'
        '<imsss:mapInfo targetObjectiveID="g" writeSatisfiedStatus="true"/>'
        "</imsss:primaryObjective></imsss:objectives>"
        '<adlseq:objectives><adlseq:objective objectiveID="o">'
        '<adlseq:mapInfo targetObjectiveID="g" writeRawScore="true"/>'
        '<adlseq:mapInfo targetObjectiveID="g2"/>'
        "</adlseq:objective></adlseq:objectives>"
    )
    g, g2 = definition.objectives[0].map_info
    assert (g.write_satisfied_status, g.write_raw_score) == (True, True)
    assert g.read_raw_score is True  # adlseq reads default to true
    assert (g2.target_objective_id, g2.read_satisfied_status, g2.read_raw_score) == (
        "g2", False, True
    )
    assert report.findings == []


def test_an_adlseq_objective_without_an_imsss_objective_is_kept_with_a_warning() -> None:
    definition, report = _read(
        '<adlseq:objectives><adlseq:objective objectiveID="lost">'
        '<adlseq:mapInfo targetObjectiveID="g"/></adlseq:objective></adlseq:objectives>'
    )
    assert [o.objective_id for o in definition.objectives] == ["lost"]
    assert codes(report) == [Code.BAD_VALUE]


def test_a_map_without_target_is_ignored_with_a_warning() -> None:
    definition, report = _read(
        "<imsss:objectives><imsss:primaryObjective><imsss:mapInfo/>"
        "</imsss:primaryObjective></imsss:objectives>"
    )
    assert definition.objectives[0].map_info == []
    assert codes(report) == [Code.BAD_VALUE]


def test_auxiliary_resources_are_ignored_silently() -> None:
    definition, report = _read(
        '<imsss:auxiliaryResources><imsss:auxiliaryResource auxiliaryResourceID="x" '
        'purpose="help"/></imsss:auxiliaryResources>'
    )
    assert definition == SequencingDefinition()
    assert report.findings == []


def test_vendor_elements_are_ignored_silently_but_unknown_imsss_ones_are_reported() -> None:
    _, report = _read('<vendor:x xmlns:vendor="urn:vendor"/><imsss:controlmode flow="true"/>')
    warning = only(report, Code.BAD_VALUE)
    assert "<controlmode> is not a SCORM sequencing element" in warning.message


# --- sequencingCollection and IDRef (§5.4) ----------------------------------------------

COLLECTION = (
    '<imsss:sequencing ID="set1">'
    '<imsss:controlMode choice="false" flow="true"/>'
    + _rule("pre", "skip")
    + '<imsss:deliveryControls completionSetByContent="true"/>'
    "</imsss:sequencing>"
)


def test_an_idref_takes_the_collection_entry_as_the_base() -> None:
    definition, report = _read("", collection=COLLECTION, id_ref="set1")
    assert definition.id_ref == "set1"
    assert definition.control_mode == ControlMode(choice=False, flow=True)
    assert [r.action for r in definition.rules] == ["skip"]
    assert definition.delivery_controls.completion_set_by_content is True
    assert report.findings == []


def test_each_element_the_item_declares_replaces_the_collections() -> None:
    definition, _ = _read(
        '<imsss:controlMode forwardOnly="true"/>' + _rule("post", "continue"),
        collection=COLLECTION,
        id_ref="set1",
    )
    assert definition.control_mode == ControlMode(forward_only=True)  # not merged attribute-wise
    assert [r.action for r in definition.rules] == ["continue"]
    assert definition.delivery_controls.completion_set_by_content is True  # from the set


def test_an_idref_naming_no_set_is_an_error() -> None:
    _, report = _read("", collection=COLLECTION, id_ref="set2")
    error = only(report, Code.SEQUENCING_IDREF_MISSING)
    assert error.severity is Severity.ERROR
    assert error.message == "Item 'i1' uses sequencing set 'set2', which is not defined."


def _read_twice(
    collection: str, id_ref: str
) -> tuple[SequencingDefinition, SequencingDefinition, ImportReport]:
    """Two items, 'a' and 'b', using the same collection entry."""
    root = etree.fromstring(
        f"<manifest {NS_2004}><imsss:sequencingCollection>{collection}"
        f'</imsss:sequencingCollection><imsss:sequencing IDRef="{id_ref}"/></manifest>'
    )
    report = ImportReport()
    entries = collection_entries(root, report=report, file="m")
    reader = SequencingReader(entries, report=report, file="m")
    first = reader.read(root[1], owner="Item 'a'")
    second = reader.read(root[1], owner="Item 'b'")
    assert first is not None and second is not None
    return first, second, report


def test_items_sharing_a_set_get_independent_copies() -> None:
    first, second, _ = _read_twice(COLLECTION, "set1")
    first.rules.clear()
    first.control_mode.flow = False
    assert [r.action for r in second.rules] == ["skip"] and second.control_mode.flow is True


def test_a_bad_value_in_a_shared_set_is_reported_once() -> None:
    collection = f'<imsss:sequencing ID="bad">{_rule("pre", "jump")}</imsss:sequencing>'
    _, _, report = _read_twice(collection, "bad")
    error = only(report, Code.SEQUENCING_BAD_VALUE)
    assert error.message.startswith("Sequencing set 'bad': unsupported sequencing value 'jump'")


def test_a_set_defined_twice_keeps_the_first_with_a_warning() -> None:
    collection = COLLECTION + '<imsss:sequencing ID="set1"><imsss:controlMode/></imsss:sequencing>'
    definition, report = _read("", collection=collection, id_ref="set1")
    assert definition.control_mode.flow is True
    assert codes(report) == [Code.DUPLICATE_IDENTIFIER]


def test_objective_identifiers_are_percent_decoded_with_whitespace_collapsed() -> None:
    definition, _ = _read(
        _rule("pre", "skip", referencedObjective="  %20obj%20%201%20 ")
        + '<imsss:objectives><imsss:primaryObjective/><imsss:objective objectiveID=" obj%201 ">'
        '<imsss:mapInfo targetObjectiveID="  g%20%20-%201"/></imsss:objective></imsss:objectives>'
    )
    objective = definition.objectives[1]
    condition = definition.rules[0].conditions[0]
    assert (objective.objective_id, condition.referenced_objective) == ("obj 1", "obj 1")
    assert objective.map_info[0].target_objective_id == "g - 1"
