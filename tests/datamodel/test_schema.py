"""Name resolution: patterns, indexes, keywords and arguments."""

from __future__ import annotations

import pytest

from scorm_player.datamodel import MODEL_12, MODEL_2004, DataModelError


@pytest.mark.parametrize(
    ("name", "pattern", "path", "indexes", "keyword"),
    [
        ("cmi.location", "cmi.location", "cmi.location", (), None),
        ("cmi.interactions.3.objectives.12.id", "cmi.interactions.n.objectives.n.id",
         "cmi.interactions.3.objectives.12.id", (3, 12), None),
        ("cmi.interactions.3.objectives._count", "cmi.interactions.n.objectives",
         "cmi.interactions.3.objectives", (3,), "_count"),
        ("cmi._version", "cmi", "cmi", (), "_version"),
        ("cmi.learner_id._children", "cmi.learner_id", "cmi.learner_id", (), "_children"),
        ("cmi.objectives.0._children", "cmi.objectives.n", "cmi.objectives.0", (0,), "_children"),
    ],
)
def test_resolve(name: str, pattern: str, path: str, indexes: tuple, keyword: str | None) -> None:
    address = MODEL_2004.resolve(name)
    assert (address.pattern, address.path, address.indexes, address.keyword) == (
        pattern, path, indexes, keyword,
    )


def test_argument_suffix_is_kept_in_the_path() -> None:
    address = MODEL_2004.resolve("adl.nav.request_valid.choice.{target=a.b}")
    assert (address.pattern, address.argument) == ("adl.nav.request_valid.choice", "a.b")
    assert address.path == "adl.nav.request_valid.choice.{target=a.b}"


@pytest.mark.parametrize("name", ["cmi.interactions.01.id", "cmi.interactions.00.id"])
def test_leading_zero_index_is_flagged(name: str) -> None:
    assert MODEL_2004.resolve(name).bad_index


@pytest.mark.parametrize(
    ("model", "name", "condition"),
    [
        (MODEL_2004, "xyz.a", "FOREIGN_ELEMENT"),
        (MODEL_2004, "cmi", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.objectives", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.objectives.x.id", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.objectives.-1.id", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.objectives.\u0661.id", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.core.lesson_status", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.foo._count", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "adl.nav.request_valid.choice", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "cmi.location.{target=x}", "UNDEFINED_ELEMENT"),
        (MODEL_2004, "_count", "FOREIGN_ELEMENT"),
        (MODEL_2004, "Cmi.location", "FOREIGN_ELEMENT"),
        (MODEL_12, "adl.nav.request", "FOREIGN_ELEMENT"),
        (MODEL_12, "cmi.core.foo", "UNDEFINED_ELEMENT"),
        (MODEL_12, "cmi.completion_status", "UNDEFINED_ELEMENT"),
    ],
)
def test_unknown_names(model, name: str, condition: str) -> None:
    with pytest.raises(DataModelError) as caught:
        model.resolve(name)
    assert caught.value.condition == condition


def test_concrete_puts_the_indexes_into_a_pattern() -> None:
    address = MODEL_2004.resolve("cmi.interactions.4.correct_responses.2.pattern")
    assert address.concrete("cmi.interactions.n.type") == "cmi.interactions.4.type"
    assert [(lv.path, lv.index) for lv in address.levels] == [
        ("cmi.interactions", 4), ("cmi.interactions.4.correct_responses", 2),
    ]
