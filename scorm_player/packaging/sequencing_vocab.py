"""The vocabularies of IMS Simple Sequencing as profiled by SCORM 2004 (sequencing-2004.md §3).

Spec facts as tables: the importer checks tokens against them, and the sequencer can share
them. Spellings are the schema's; the importer accepts other letter cases and stores these.
"""

from __future__ import annotations

#: §3.3 ``ruleCondition/@condition``.
RULE_CONDITIONS = (
    "satisfied",
    "objectiveStatusKnown",
    "objectiveMeasureKnown",
    "objectiveMeasureGreaterThan",
    "objectiveMeasureLessThan",
    "completed",
    "activityProgressKnown",
    "attempted",
    "attemptLimitExceeded",
    "timeLimitExceeded",
    "outsideAvailableTimeRange",
    "always",
)

#: §3.3 ``ruleAction/@action``, per rule kind (pre / exit / post condition rules).
RULE_ACTIONS: dict[str, tuple[str, ...]] = {
    "pre": ("skip", "disabled", "hiddenFromChoice", "stopForwardTraversal"),
    "exit": ("exit",),
    "post": ("exitParent", "exitAll", "retry", "retryAll", "continue", "previous"),
}

#: §3.5 ``rollupCondition/@condition``.
ROLLUP_CONDITIONS = (
    "satisfied",
    "objectiveStatusKnown",
    "objectiveMeasureKnown",
    "completed",
    "activityProgressKnown",
    "attempted",
    "attemptLimitExceeded",
    "timeLimitExceeded",
    "outsideAvailableTimeRange",
)

#: §3.5 ``rollupAction/@action``.
ROLLUP_ACTIONS = ("satisfied", "notSatisfied", "completed", "incomplete")

#: §3.5 ``rollupRule/@childActivitySet``.
CHILD_ACTIVITY_SETS = ("all", "any", "none", "atLeastCount", "atLeastPercent")

#: §3.3, §3.5 ``@conditionCombination`` (defaults differ: ``all`` for sequencing rules,
#: ``any`` for rollup rules).
CONDITION_COMBINATIONS = ("all", "any")

#: §3.3, §3.5 ``@operator``.
OPERATORS = ("noOp", "not")

#: §3.8 ``@selectionTiming`` and ``@randomizationTiming``.
TIMINGS = ("never", "once", "onEachNewAttempt")

#: §3.6 ``adlseq:rollupConsiderations/@requiredFor*``.
ROLLUP_REQUIREMENTS = ("always", "ifAttempted", "ifNotSkipped", "ifNotSuspended")

#: §3.7 4th edition ``adlseq:mapInfo`` flags (model field names): reads default true,
#: writes default false.
ADLSEQ_MAP_READS = (
    "read_raw_score",
    "read_min_score",
    "read_max_score",
    "read_completion_status",
    "read_progress_measure",
)
ADLSEQ_MAP_WRITES = (
    "write_raw_score",
    "write_min_score",
    "write_max_score",
    "write_completion_status",
    "write_progress_measure",
)
