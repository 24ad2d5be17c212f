"""Hypothesis strategies for API call sequences: element names that mostly resolve (small
indexes, keywords, arguments) mixed with garbage, and values drawn from the type and
response samples, the vocabularies, random text and over-limit strings."""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from scorm_player.datamodel import export_json
from tests.datamodel.test_responses import SAMPLES as RESPONSE_SAMPLES
from tests.datamodel.test_types import SAMPLES as TYPE_SAMPLES
from tests.runtime_js.parity import Case

INDEXES = ["0", "0", "0", "0", "1", "1", "1", "2", "01", "00", "-1", "x", ""]
SUFFIXES = ["", "", "", "", "._count", "._children", "._version", ".x", ".{target=s1}", "\n"]
ODD_NAMES = [
    "", "cmi", "adl", "cmi.", ".", "cmi..core", "xyz.score.result", "CMI.core.lesson_status",
    "cmi.interactions.0", "cmi.objectives", "adl.nav.request_valid.choice.{target=a}\n",
    "adl.nav.request_valid.jump.{target=}", "cmi.interactions.99999999999999999999.id",
    "constructor", "__proto__", "cmi.__proto__", "cmi.core.__proto__._children",
    "cmi.hasOwnProperty", "cmi.interactions.0.correct_responses._count",
]
LONG_VALUES = ["x" * 256, "x" * 1001, "x" * 4097, "\U0001f600" * 1001, "x" * 64001]
CODES = ["", "0", "101", "201", "301", "351", "401", "403", "404", "405", "406", "999", "001", "x"]
# Response values at the interpreter's edges (flags repeated or unclosed, items over their
# SPM next to invalid ones, reversed ranges), for every one of the ten types.
EDGE_RESPONSES = [
    "{case_matters=true}{case_matters=false}x", "{case_matters=true}{order_matters=true}{case_matters=true}x",
    "{order_matters=true", "{order_matters=false}{order_matters=false}s[.]a", "{lang=en}x[,]{lang=en us}y",
    "x" * 251 + "[.]bad id", "a[.]" + "x" * 251, "s" * 251 + "[.]x", "[.]", "s[.]" + "x" * 251 + "[:]",
    "2[:]1.5", "-0[:]0", "1e2[:]", "a[,]" + "b" * 251, "b" * 251 + "[,]a b", "true[,]true", "x" * 4001,
    "{lang=}x", "{lang=frl}x", "{lang=EN-gb}x", "{lang=en}" + "x" * 251, "[,]".join(["a"] * 37), "[,]".join(f"p{n}[.]q" for n in range(37)),
]
# Launch states the LMS may send (all load in both runtimes).
STATES: dict[str, list[dict[str, Any]]] = {
    "1.2": [
        {},
        {"cmi.core.student_id": "s1", "cmi.core.lesson_mode": "browse", "cmi.core.credit": "no-credit"},
        {"cmi.student_data.mastery_score": "80", "cmi.objectives.0.id": "o0",
         "cmi.interactions.0.id": "q0", "cmi.interactions.0.type": "choice"},
    ],
    "2004": [
        {},
        {"cmi.completion_threshold": "0.5", "cmi.scaled_passing_score": "0.6"},
        {"cmi.objectives.0.id": "o0", "cmi.interactions.0.id": "q0",
         "cmi.interactions.0.type": "numeric", "cmi.comments_from_lms.0.comment": "hi",
         "adl.data.0.id": "urn:map:0"},
    ],
}
DATA_MAPS = [
    [],
    [{"id": "urn:map:a", "store": "s", "read_shared_data": False, "write_shared_data": True},
     {"id": "urn:map:b", "store": None, "read_shared_data": True, "write_shared_data": False}],
]


def _concrete(pattern: str, indexes: list[str], suffix: str) -> str:
    tokens = iter(indexes)
    return ".".join(next(tokens, "0") if t == "n" else t for t in pattern.split(".")) + suffix


@cache
def _patterns(version: str) -> list[str]:
    exported = export_json(version)  # type: ignore[arg-type]
    return [*exported["elements"], *exported["collections"], *exported["groups"]]


@cache
def _value_pool(version: str) -> list[str]:
    exported = export_json(version)  # type: ignore[arg-type]
    pool = {v for (ver, _), (good, bad) in TYPE_SAMPLES.items() if ver == version
            for v in good + bad if len(v) < 5000}
    for element in exported["elements"].values():
        pool.update(element["vocabulary"] or [])
        pool.update(element["lms_values"])
    if version == "2004":
        pool |= {v for sides in RESPONSE_SAMPLES.values() for good, bad in sides.values()
                 for v in good + bad if len(v) < 5000}
        pool |= set(EDGE_RESPONSES)
    else:
        pool |= {"0", "t", "a,b", "{a,b}", "1.a,2.c", "a,c,b", "x y", "5.5", "", "1.a,"}
    return sorted(pool)


@cache
def _element_pool(version: str, pattern: str) -> list[str]:
    """Values aimed at one element: its type's samples, vocabulary and response samples."""
    element = export_json(version)["elements"].get(pattern)  # type: ignore[arg-type]
    if element is None:
        return _value_pool(version)
    good, bad = TYPE_SAMPLES.get((version, element["type"]), ([], []))
    pool = [*good, *bad, *(element["vocabulary"] or []), *element["lms_values"]]
    if element["format_by"] and version == "2004":
        pool += [v for sides in RESPONSE_SAMPLES.values() for g, b in sides.values() for v in g + b]
        pool += EDGE_RESPONSES
    return sorted({v for v in pool if len(v) < 5000}) or _value_pool(version)


def _names(version: str, focus: list[str]) -> st.SearchStrategy[tuple[str, str]]:
    """(name, pattern) pairs: mostly the case's focus patterns at small indexes."""
    other = "2004" if version == "1.2" else "1.2"
    indexes = st.lists(st.sampled_from(INDEXES), min_size=3, max_size=3)

    def concrete(patterns: list[str]) -> st.SearchStrategy[tuple[str, str]]:
        return st.sampled_from(patterns).flatmap(
            lambda p: st.builds(lambda i, s: (_concrete(p, i, s), p), indexes, st.sampled_from(SUFFIXES))
        )

    foreign = st.sampled_from(_patterns(other)).map(lambda p: (_concrete(p, ["0"] * 3, ""), p))
    garbage = st.one_of(st.sampled_from(ODD_NAMES), st.text(max_size=15)).map(lambda n: (n, ""))
    return st.one_of(*[concrete(focus)] * 6, concrete(_patterns(version)), foreign, garbage)


def _values(version: str, pattern: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_element_pool(version, pattern)),
        st.sampled_from(_element_pool(version, pattern)),
        st.sampled_from(_value_pool(version)),
        st.text(max_size=12),
        st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,8})?", fullmatch=True),
        st.sampled_from(LONG_VALUES),
    )


def _calls(version: str, focus: list[str]) -> st.SearchStrategy[list[Any]]:
    names = _names(version, focus)
    set_value = names.flatmap(lambda n: _values(version, n[1]).map(lambda v: ["set_value", n[0], v]))
    get_value = names.map(lambda n: ["get_value", n[0]])
    session = st.tuples(
        st.sampled_from(["initialize", "commit", "commit", "terminate"]),
        st.sampled_from(["", "", "", "x"]),
    ).map(list)
    errors = st.one_of(
        st.just(["get_last_error"]),
        st.tuples(st.sampled_from(["get_error_string", "get_diagnostic"]), st.sampled_from(CODES)).map(list),
    )
    return st.one_of(
        *[set_value] * 6, *[get_value] * 3, session, errors, st.just(["take_changes"]),
    )


@st.composite
def cases(draw: st.DrawFn, version: str) -> Case:
    """A launch state, options and up to 50 calls around a handful of focus elements."""
    elements = list(export_json(version)["elements"])  # type: ignore[arg-type]
    focus = draw(st.lists(st.sampled_from(elements), min_size=1, max_size=6, unique=True))
    structural = [p for p in elements if p.endswith((".id", ".type"))]
    focus += draw(st.lists(st.sampled_from(structural), max_size=3))
    prefix = [["initialize", ""]] if draw(st.integers(0, 9)) > 0 else []
    return {
        "version": version,
        "state": draw(st.sampled_from(STATES[version])),
        "options": {
            "policy": draw(st.sampled_from(["lenient", "strict"])),
            "data_maps": draw(st.sampled_from(DATA_MAPS)) if version == "2004" else [],
            "commit_fails": draw(st.integers(0, 19)) == 0,
        },
        "calls": prefix + draw(st.lists(_calls(version, focus), min_size=1, max_size=50)),
    }
