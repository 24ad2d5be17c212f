"""The launch data an item hands to the run-time (cam-packaging.md §5.1, §5.2, §8).

SCORM 1.2 (``adlcp_rootv1p2``) and 2004 (``adlcp_v1p3``) name the same things differently
(``timelimitaction`` / ``timeLimitAction``, ``datafromlms`` / ``dataFromLMS``). Packages mix
them up, so both namespaces are read and local names compare case-insensitively; each value
lands in the one model field it means. Every value here can be defaulted, so a bad one is a
``BAD_VALUE`` warning, never an error.
"""

from __future__ import annotations

import re

from lxml import etree

from scorm_player.packaging.model import CompletionThreshold, Item, SharedDataMap
from scorm_player.packaging.namespaces import ADLCP_ANY, ADLNAV, children, qname
from scorm_player.packaging.values import ValueReader

#: §5.1/§5.2 ``timelimitaction`` vocabulary (both versions).
TIME_LIMIT_ACTIONS = ("exit,message", "exit,no message", "continue,message", "continue,no message")
#: §5.2 / sequencing-2004.md §3.11 ``adlnav:hideLMSUI`` vocabulary.
HIDE_LMS_UI = ("previous", "continue", "exit", "exitAll", "abandon", "abandonAll", "suspendAll")
#: RTE 1.2 CMITimespan, ``HHHH:MM:SS.SS``.
_TIMESPAN = re.compile(r"\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?")
_DATA_FROM_LMS_MAX = 4096


def read_item_data(element: etree._Element, item: Item, values: ValueReader) -> None:
    """Set the 1.2 and 2004 per-item fields of ``item`` from its adlcp/adlnav children."""
    owner = f"Item '{item.identifier}'"
    adlcp = {}
    for part in element:
        namespace, local = qname(part)
        if namespace in ADLCP_ANY:
            adlcp.setdefault(local.lower(), part)
    if (el := adlcp.get("prerequisites")) is not None:
        item.prerequisites = (el.text or "").strip() or None
        item.prerequisites_type = (el.get("type") or "").strip() or None
    if (el := adlcp.get("maxtimeallowed")) is not None:
        item.max_time_allowed = _timespan(el, owner, values)
    if (el := adlcp.get("timelimitaction")) is not None:
        item.time_limit_action = _time_limit_action(el, owner, values)
    if (el := adlcp.get("datafromlms")) is not None:
        item.data_from_lms = _data_from_lms(el, owner, values)
    if (el := adlcp.get("masteryscore")) is not None:
        item.mastery_score = values.decimal(
            el.text or "", None, low=0.0, high=100.0, what=f"{owner}, masteryscore",
            line=el.sourceline,
        )
    if (el := adlcp.get("completionthreshold")) is not None:
        item.completion_threshold = read_completion_threshold(el, owner, values)
    if (el := adlcp.get("data")) is not None:
        item.shared_data = _shared_data(el, owner, values)
    item.hide_lms_ui = _hide_lms_ui(element, owner, values)


def read_completion_threshold(
    element: etree._Element, owner: str, values: ValueReader
) -> CompletionThreshold:
    """§5.2: text (3rd ed.) or attributes (4th ed.); with both, the attributes win."""
    line = element.sourceline
    text = (element.text or "").strip()
    attributes = {etree.QName(key).localname for key in element.attrib}
    fourth = attributes & {"completedByMeasure", "minProgressMeasure", "progressWeight"}
    threshold = CompletionThreshold()
    if fourth:
        if text:
            values.warn(
                f"{owner}: completionThreshold has both text ('{text}', 3rd Edition) and "
                "attributes (4th Edition); the attributes were used.",
                line=line,
            )
        threshold.completed_by_measure = values.boolean(
            element.get("completedByMeasure"), False,
            what=f"{owner}, completionThreshold/@completedByMeasure", line=line,
        )
        threshold.min_progress_measure = values.decimal(
            element.get("minProgressMeasure"), 1.0, low=0.0, high=1.0,
            what=f"{owner}, completionThreshold/@minProgressMeasure", line=line,
        )
        threshold.progress_weight = values.decimal(
            element.get("progressWeight"), 1.0, low=0.0, high=1.0,
            what=f"{owner}, completionThreshold/@progressWeight", line=line,
        )
    elif text:
        threshold.min_progress_measure = values.decimal(
            text, 1.0, low=0.0, high=1.0, what=f"{owner}, completionThreshold", line=line
        )
    return threshold


def _timespan(element: etree._Element, owner: str, values: ValueReader) -> str | None:
    text = (element.text or "").strip()
    if _TIMESPAN.fullmatch(text):
        return text
    values.warn(
        f"{owner}: maxtimeallowed '{text}' is not a time span like 0000:30:00; no time limit "
        "was set.",
        line=element.sourceline,
    )
    return None


def _time_limit_action(element: etree._Element, owner: str, values: ValueReader) -> str | None:
    raw = (element.text or "").strip()
    normal = re.sub(r"\s*,\s*", ",", re.sub(r"\s+", " ", raw.lower()))
    if normal in TIME_LIMIT_ACTIONS:
        return normal
    values.warn(
        f"{owner}: timeLimitAction '{raw}' is not one of " + ", ".join(TIME_LIMIT_ACTIONS)
        + "; it was ignored.",
        line=element.sourceline,
    )
    return None


def _data_from_lms(element: etree._Element, owner: str, values: ValueReader) -> str | None:
    text = (element.text or "").strip()
    if len(text) > _DATA_FROM_LMS_MAX:
        values.warn(
            f"{owner}: dataFromLMS is {len(text)} characters long; SCORM guarantees only "
            f"{_DATA_FROM_LMS_MAX}, so some content may not read all of it.",
            line=element.sourceline,
        )
    return text or None


def _shared_data(element: etree._Element, owner: str, values: ValueReader) -> list[SharedDataMap]:
    """4th ed. ``adlcp:data/adlcp:map`` (defaults read/write true, §5.2)."""
    maps = []
    for map_el in element:
        if qname(map_el)[0] not in ADLCP_ANY or qname(map_el)[1] != "map":
            continue
        line = map_el.sourceline
        target = (map_el.get("targetID") or "").strip()
        if not target:
            values.warn(f"{owner}: an adlcp:map has no targetID and was ignored.", line=line)
            continue
        maps.append(
            SharedDataMap(
                target_id=target,
                read_shared_data=values.boolean(
                    map_el.get("readSharedData"), True, what=f"{owner}, map/@readSharedData",
                    line=line,
                ),
                write_shared_data=values.boolean(
                    map_el.get("writeSharedData"), True, what=f"{owner}, map/@writeSharedData",
                    line=line,
                ),
            )
        )
    return maps


def _hide_lms_ui(element: etree._Element, owner: str, values: ValueReader) -> list[str]:
    """``adlnav:presentation/adlnav:navigationInterface/adlnav:hideLMSUI`` tokens, in order."""
    hidden: list[str] = []
    for presentation in children(element, ADLNAV, "presentation"):
        for interface in children(presentation, ADLNAV, "navigationInterface"):
            for hide in children(interface, ADLNAV, "hideLMSUI"):
                token = values.token(
                    hide.text or "", HIDE_LMS_UI, None, what=f"{owner}, hideLMSUI",
                    line=hide.sourceline,
                )
                if token is not None and token not in hidden:
                    hidden.append(token)
    return hidden
