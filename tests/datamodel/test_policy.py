"""Compatibility policy: lenient vs strict lengths; types, vocabularies, ranges never relax."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorm_player.datamodel import LENIENT, STRICT, CMIRuntime, Policy, get_policy


def started(version: str, policy: str, **options) -> CMIRuntime:
    runtime = CMIRuntime(version, policy=policy, **options)  # type: ignore[arg-type]
    assert runtime.initialize() == "true"
    return runtime


@pytest.mark.parametrize(("name", "policy"), [(None, LENIENT), ("lenient", LENIENT), ("strict", STRICT)])
def test_get_policy(name: str | None, policy: Policy) -> None:
    assert get_policy(name) is policy and get_policy(policy) is policy


def test_unknown_policy_name_is_refused() -> None:
    with pytest.raises(ValueError):
        get_policy("loose")


@given(st.integers(4097, 64000))
@settings(max_examples=25)
def test_lenient_12_suspend_data_up_to_64000_is_accepted_and_logged(length: int) -> None:
    runtime = started("1.2", "lenient")
    assert runtime.set_value("cmi.suspend_data", "x" * length) == "true"
    assert [(r.element, r.limit, r.action) for r in runtime.relaxations] == [
        ("cmi.suspend_data", 4096, "accepted")
    ]
    assert runtime.get_value("cmi.suspend_data") == "x" * length


@pytest.mark.parametrize("policy", ["lenient", "strict"])
def test_12_suspend_data_of_4096_is_never_a_relaxation(policy: str) -> None:
    runtime = started("1.2", policy)
    assert runtime.set_value("cmi.suspend_data", "x" * 4096) == "true"
    assert runtime.relaxations == []


@pytest.mark.parametrize(("policy", "length"), [("strict", 4097), ("lenient", 64001)])
def test_12_suspend_data_past_the_policy_limit_is_405(policy: str, length: int) -> None:
    runtime = started("1.2", policy)
    assert runtime.set_value("cmi.suspend_data", "x" * length) == "false"
    assert runtime.get_last_error() == "405"


@pytest.mark.parametrize("policy", ["lenient", "strict"])
def test_other_12_strings_keep_their_limit(policy: str) -> None:
    runtime = started("1.2", policy)
    assert runtime.set_value("cmi.comments", "x" * 4097) == "false"
    assert runtime.set_value("cmi.core.lesson_location", "x" * 256) == "false"


@given(st.integers(1, 3000), st.sampled_from(["cmi.location", "cmi.suspend_data", "cmi.launch_data"]))
@settings(max_examples=30)
def test_2004_over_spm_follows_the_policy(extra: int, element: str) -> None:
    spm = {"cmi.location": 1000, "cmi.suspend_data": 64000, "cmi.launch_data": 4000}[element]
    value = "y" * (spm + extra)
    for policy, stored in (("lenient", value), ("strict", value[:spm])):
        runtime = started("2004", policy, state={"cmi.launch_data": ""})
        if element == "cmi.launch_data":
            assert runtime.set_value(element, value) == "false"  # read-only wins
            continue
        assert (runtime.set_value(element, value), runtime.get_last_error()) == ("true", "0")
        assert runtime.get_value(element) == stored
        assert [r.action for r in runtime.relaxations] == [
            "stored whole" if policy == "lenient" else "truncated"
        ]


def test_strict_cuts_a_localized_string_after_its_prefix() -> None:
    runtime = started("2004", "strict")
    runtime.set_value("cmi.comments_from_learner.0.comment", "{lang=en}" + "z" * 4001)
    assert runtime.get_value("cmi.comments_from_learner.0.comment") == "{lang=en}" + "z" * 4000


@pytest.mark.parametrize("policy", ["lenient", "strict"])
def test_2004_identifier_past_its_spm_is_stored_whole(policy: str) -> None:
    runtime = started("2004", policy)
    value = "urn:x:" + "i" * 4000
    assert runtime.set_value("cmi.objectives.0.id", value) == "true"
    assert runtime.get_value("cmi.objectives.0.id") == value


@pytest.mark.parametrize("policy", ["lenient", "strict"])
@pytest.mark.parametrize(
    ("version", "element", "value", "code"),
    [
        ("1.2", "cmi.core.lesson_status", "done", "405"),
        ("1.2", "cmi.core.score.raw", "101", "405"),
        ("1.2", "cmi.core.exit", "normal", "405"),
        ("2004", "cmi.score.scaled", "1.01", "407"),
        ("2004", "cmi.completion_status", "Completed", "406"),
        ("2004", "cmi.session_time", "PT", "406"),
    ],
)
def test_types_vocabularies_and_ranges_are_never_relaxed(
    policy: str, version: str, element: str, value: str, code: str
) -> None:
    runtime = started(version, policy)
    assert (runtime.set_value(element, value), runtime.get_last_error()) == ("false", code)


def test_policy_can_be_chosen_per_apply_changes_call() -> None:
    runtime = CMIRuntime("1.2", policy="lenient")
    refused = runtime.apply_changes({"cmi.suspend_data": "x" * 5000}, policy="strict")
    assert [e.code for e in refused] == [405]
    assert runtime.apply_changes({"cmi.suspend_data": "x" * 5000}) == []
    assert runtime.policy is LENIENT
