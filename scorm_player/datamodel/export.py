"""The data model as JSON for the JavaScript API adapter: one definition, two runtimes.

``export_json(version)`` returns a JSON-serialisable, deterministic ``dict`` holding every
rule :class:`~scorm_player.datamodel.runtime.CMIRuntime` applies, so the adapter can answer
GetValue/SetValue locally with the same verdicts:

- ``types`` and ``elements``: each element fully resolved (its type's regex, vocabulary,
  range, limits, plus access, default, dependencies, uniqueness, write-once, the element
  that picks its response format, an ``argument`` suffix, LMS-computed values);
- ``collections`` (``_count``, ``_children`` when shown, SPM, appendable) and ``groups``;
- ``responses``: 2004 response formats (the interpreter is described in
  :mod:`scorm_player.datamodel.responses`) or 1.2 CMIFeedback regexes;
- ``evaluations`` (2004 completion/success), ``errors`` (codes, texts, conditions),
  ``check_order`` and ``policies``;
- what :class:`CMIRuntime` decides from the version rather than from the element table:
  ``version_keyword`` (the one element with a ``_version`` and its value), ``shared_data``
  (the ``adl.data`` record fields, 2004 only; an empty store reads as not initialized), ``format_change_erases`` (a changed
  ``cmi.interactions.n.type`` drops its patterns and response) and ``text_types`` (the types
  the strict policy cuts to their SPM) and ``decoded_uri_elements`` (identifiers loaded
  decoded: their spaces are checked percent-encoded).

All regexes are anchored and valid in both Python ``re`` and ECMAScript ``RegExp``. Lengths
(SPMs, hard limits) count Unicode code points, as Python's ``len`` does; in JavaScript that
is ``[...value].length``, not ``value.length``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from scorm_player.datamodel import responses
from scorm_player.datamodel.elements_2004 import SHARED_DATA
from scorm_player.datamodel.errors import CONDITIONS, ERRORS, Version, error_code
from scorm_player.datamodel.policy import POLICIES
from scorm_player.datamodel.rules import EVALUATIONS_2004
from scorm_player.datamodel.runtime import _DECODED_URI_ELEMENTS, _TEXT_TYPES, MODELS
from scorm_player.datamodel.schema import KEYWORDS, DataModel
from scorm_player.datamodel.types import LANG_PREFIX, anchored

FORMAT_VERSION = 3  # 2: version_keyword, shared_data, format_change_erases, text_types;
# 3: decoded_uri_elements and the stored form of responses (flag_defaults, default_language)

#: How to read ``responses.types[type].pattern|response`` (see responses.py).
RESPONSE_ALGORITHM = [
    "strip leading {flag=true|false} for flags the format lists, any order, each once; "
    "another value of a listed flag is a type mismatch",
    "list formats split the rest on '[,]'; '' is zero items when allow_empty, else invalid",
    "unique_items: no item may repeat (type mismatch)",
    "short_identifier: regex.short_identifier; over short_identifier_spm is an SPM overflow",
    "localized_string: optional {lang=..} matching regex.lang_prefix (a malformed one with a "
    "closing brace is a type mismatch); spm counts the text after it",
    "characterstring: any text; spm counts all of it",
    "vocabulary: one of item.vocabulary",
    "real: regex.real",
    "range: exactly one '[:]'; each side empty or regex.real; min <= max",
    "pair: exactly one '[.]'; both sides short_identifier",
    "step: exactly one '[.]'; not both sides empty; a non-empty name is a short_identifier; "
    "an answer holding '[:]' is a range when answer_ranges, else invalid; else text (spm)",
    "more items than items_spm is an SPM overflow, never an error",
    "correct_responses: more than max_patterns is 351; with unique_patterns an equal "
    "pattern ('set': same items in any order, 'sequence': same order) is 351",
    "stored form: leading flags equal to flag_defaults are dropped; a non-list "
    "localized_string format also reads its flags right after its {lang=..}, and is stored as "
    "flags then {lang=..} then text, {lang=default_language} dropped; a list whose first "
    "item, flags included, is over the item's SPM (a step: its name over "
    "short_identifier_spm) is stored as written",
]

CHECK_ORDER = {
    "get": [
        "state", "empty name", "undefined element", "index out of range", "keyword",
        "write-only", "shared data not readable", "evaluation", "not initialized",
    ],
    "set": [
        "state", "empty name", "undefined element", "keyword", "read-only",
        "shared data not writable", "index (syntax, gap, not appendable)", "dependency",
        "pattern count", "type", "range", "write-once", "unique / repeated pattern", "spm",
    ],
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record(value)
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):
        return value.value  # enums
    return value


def _record(obj: Any) -> dict[str, Any]:
    return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def _elements(model: DataModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pattern, element in model.elements.items():
        rule = model.rule(pattern)
        row = _record(element)
        row.update(
            regex=rule.regex, vocabulary=_jsonable(rule.vocabulary), range=_jsonable(rule.range),
            spm=rule.spm, max_length=rule.max_length, measure=rule.measure,
        )
        if model.version == "2004" and pattern in EVALUATIONS_2004:
            row["evaluation"] = _record(EVALUATIONS_2004[pattern])
        out[pattern] = row
    return out


def _responses(version: Version) -> dict[str, Any]:
    if version == "1.2":
        return {"max_length": 255, "feedback": dict(responses.FEEDBACK_12)}
    return {
        "separators": {
            "list": responses.LIST_SEPARATOR,
            "pair": responses.PAIR_SEPARATOR,
            "range": responses.RANGE_SEPARATOR,
        },
        "flag_values": list(responses.FLAG_VALUES),
        "flag_defaults": dict(responses.FLAG_DEFAULTS),
        "default_language": responses.DEFAULT_LANGUAGE,
        "regex": {
            "short_identifier": responses.SHORT_IDENTIFIER,
            "real": responses.REAL,
            "lang_prefix": "^" + LANG_PREFIX,
        },
        "short_identifier_spm": responses.SHORT_IDENTIFIER_SPM,
        "algorithm": RESPONSE_ALGORITHM,
        "types": {name: _record(spec) for name, spec in responses.INTERACTION_TYPES.items()},
    }


def _errors(version: Version) -> dict[str, Any]:
    return {
        "codes": {
            str(d.code): {"name": name, "text": d.text} for name, d in ERRORS[version].items()
        },
        "conditions": {condition: error_code(version, condition) for condition in CONDITIONS},
    }


def _version_rules(version: Version) -> dict[str, Any]:
    """The runtime.py rules tied to a version (``_keyword``, ``_get``/``_set`` and the
    ``DataMap`` loading for ``adl.data``, ``_write``, ``_apply_spm``)."""
    model = MODELS[version]
    v2004 = version == "2004"
    return {
        "version_keyword": {"element": "cmi", "value": model.data_model_version},
        "shared_data": dataclasses.asdict(SHARED_DATA) if v2004 else None,
        "format_change_erases": v2004,
        "text_types": list(_TEXT_TYPES) if v2004 else [],
        "decoded_uri_elements": list(_DECODED_URI_ELEMENTS) if v2004 else [],
    }


def export_json(version: Version) -> dict[str, Any]:
    """Everything the adapter needs for ``version`` (``"1.2"`` or ``"2004"``)."""
    model = MODELS[version]
    return {
        "format": FORMAT_VERSION,
        "version": version,
        "data_model_version": model.data_model_version,
        **_version_rules(version),
        "namespaces": list(model.namespaces),
        "regex_flavor": "anchored; Python re.fullmatch == JavaScript new RegExp(r).test",
        "length_unit": "Unicode code points (JavaScript: [...value].length)",
        "keywords": list(KEYWORDS),
        "index_regex": anchored("0|[1-9][0-9]*"),
        "types": {name: _record(t) for name, t in model.types.items()},
        "elements": _elements(model),
        "collections": {p: _record(c) for p, c in model.collections.items()},
        "groups": {p: list(children) for p, children in model.groups.items()},
        "responses": _responses(version),
        "evaluations": (
            {p: _record(e) for p, e in EVALUATIONS_2004.items()} if version == "2004" else {}
        ),
        "errors": _errors(version),
        "check_order": CHECK_ORDER,
        "policies": {
            name: {
                "max_length": dict(policy.max_length_12) if version == "1.2" else {},
                "over_spm": policy.over_spm_2004 if version == "2004" else None,
            }
            for name, policy in POLICIES.items()
        },
    }
