"""SCORM 1.2 ``aicc_script`` prerequisites: grammar, evaluation, errors, round trips."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorm_player.datamodel.elements_12 import LESSON_STATUS
from scorm_player.sequencing.prerequisites import (
    STATUS_SPELLINGS,
    And,
    Comparison,
    Identifier,
    ItemSet,
    Not,
    Or,
    PrerequisitesError,
    StatusOf,
    parse_prerequisites,
)

STATUSES = (*LESSON_STATUS, "not attempted")
ABBREVIATIONS = {"p": "passed", "c": "completed", "f": "failed", "i": "incomplete",
                 "b": "browsed", "n": "not attempted"}
P, C, F, I, B, N = "passed", "completed", "failed", "incomplete", "browsed", "not attempted"


def _status_of(statuses: Mapping[str, str]) -> StatusOf:
    return lambda identifier: statuses.get(identifier, N)


def _met(text: str, statuses: Mapping[str, str]) -> bool:
    return parse_prerequisites(text).evaluate(_status_of(statuses))


# region evaluation table


@pytest.mark.parametrize(
    ("text", "statuses", "expected"),
    [
        # a bare identifier: passed or completed
        ("a", {"a": P}, True),
        ("a", {"a": C}, True),
        ("a", {"a": F}, False),
        ("a", {"a": I}, False),
        ("a", {"a": B}, False),
        ("a", {"a": N}, False),
        # & | ~
        ("a & b", {"a": P, "b": C}, True),
        ("a & b", {"a": P, "b": I}, False),
        ("a | b", {"a": F, "b": C}, True),
        ("a | b", {"a": F, "b": I}, False),
        ("~a", {"a": I}, True),
        ("~a", {"a": P}, False),
        ("~~a", {"a": P}, True),
        # precedence: ~ over &, & over |
        ("~a & b", {"a": I, "b": P}, True),  # (~a) & b
        ("~a & b", {"a": I, "b": I}, False),
        ("a | b & c", {"a": P, "b": I, "c": I}, True),  # a | (b & c)
        ("a & b | c", {"a": I, "b": P, "c": P}, True),  # (a & b) | c
        ("a | b & c", {"a": I, "b": P, "c": I}, False),
        ("~a | b", {"a": P, "b": P}, True),  # (~a) | b
        # parentheses override it
        ("(a | b) & c", {"a": P, "b": I, "c": I}, False),
        ("a & (b | c)", {"a": I, "b": P, "c": P}, False),
        ("~(a & b)", {"a": P, "b": I}, True),
        ("~(a | b)", {"a": I, "b": P}, False),
        ("((a))", {"a": C}, True),
        # sets: bare means all, n*{} means at least n
        ("{a, b, c}", {"a": P, "b": C, "c": P}, True),
        ("{a, b, c}", {"a": P, "b": C, "c": F}, False),
        ("2*{a, b, c}", {"a": P, "b": I, "c": C}, True),
        ("2*{a, b, c}", {"a": P, "b": I, "c": F}, False),
        ("1*{a, b}", {"b": C}, True),
        ("0*{a}", {}, True),
        ("3*{a, b}", {"a": P, "b": P}, False),  # a count beyond the set is never met
        ("~2*{a, b, c}", {"a": P}, True),
        ("2*{a, b} & c", {"a": P, "b": P, "c": I}, False),
        # comparisons see the exact status, including not attempted
        ("a = failed", {"a": F}, True),
        ("a = failed", {"a": P}, False),
        ("a <> passed", {"a": C}, True),
        ("a <> passed", {"a": P}, False),
        ("a = passed | b = incomplete", {"a": F, "b": I}, True),
        ("~a = passed", {"a": F}, True),  # ~(a = passed)
        ("a = browsed & b <> n", {"a": B, "b": I}, True),
        # whitespace anywhere between tokens, none needed
        ("a&b|~c", {"a": P, "b": P}, True),
        ("  2 * { a ,b }  ", {"a": P, "b": C}, True),
        ("a\t&\n( b |c )", {"a": P, "c": C}, True),
        ("a<>not   attempted", {"a": I}, True),
        # unknown identifiers are not attempted
        ("ghost", {}, False),
        ("ghost = not attempted", {}, True),
        ("~ghost", {}, True),
        ("2*{a, ghost, b}", {"a": P, "b": C}, True),
    ],
)
def test_evaluate(text: str, statuses: dict[str, str], expected: bool) -> None:
    assert _met(text, statuses) is expected


@pytest.mark.parametrize("case", [str.lower, str.upper, str.title])
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("spelling", [*STATUSES, *ABBREVIATIONS])
def test_comparison_spellings(spelling: str, status: str, case: Callable[[str], str]) -> None:
    """Every status, full or abbreviated, in any case, compares with ``=`` and ``<>``."""
    same = STATUS_SPELLINGS[spelling] == status
    assert _met(f"a = {case(spelling)}", {"a": status}) is same
    assert _met(f"a <> {case(spelling)}", {"a": status}) is not same


@pytest.mark.parametrize(("abbreviation", "status"), ABBREVIATIONS.items())
def test_abbreviations_name_the_statuses(abbreviation: str, status: str) -> None:
    assert parse_prerequisites(f"a = {abbreviation}") == Comparison("a", status)


def test_spelling_table_covers_the_lesson_status_vocabulary() -> None:
    assert set(STATUS_SPELLINGS.values()) == set(STATUSES)


@pytest.mark.parametrize("quoted", ["'passed'", '"P"', "'Not Attempted'"])
def test_quoted_status_is_tolerated(quoted: str) -> None:
    assert isinstance(parse_prerequisites(f"a = {quoted}"), Comparison)


@pytest.mark.parametrize("reported", ["", "Passed", " completed ", "P"])
def test_status_of_answers_are_normalised(reported: str) -> None:
    """A blank status counts as not attempted; case, spacing and abbreviation do not matter."""
    expected = reported.strip() != ""
    assert parse_prerequisites("a").evaluate(lambda _: reported) is expected


# endregion
# region tree and identifiers


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a", Identifier("a")),
        ("I_SCO-1.2:x", Identifier("I_SCO-1.2:x")),
        ("a & b & c", And((Identifier("a"), Identifier("b"), Identifier("c")))),
        ("a | b & c", Or((Identifier("a"), And((Identifier("b"), Identifier("c")))))),
        ("~a & b", And((Not(Identifier("a")), Identifier("b")))),
        ("a <> c", Comparison("a", "completed", equal=False)),
        ("{a,b}", ItemSet(("a", "b"))),
        ("3*{a,b,c}", ItemSet(("a", "b", "c"), 3)),
        ("2", Identifier("2")),
    ],
)
def test_parse_tree(text: str, tree: object) -> None:
    assert parse_prerequisites(text) == tree


@pytest.mark.parametrize(
    ("text", "identifiers"),
    [
        ("a", ("a",)),
        ("b & a | b = p", ("b", "a")),
        ("~(c | 2*{a, c, d})", ("c", "a", "d")),
    ],
)
def test_identifiers(text: str, identifiers: tuple[str, ...]) -> None:
    assert parse_prerequisites(text).identifiers() == identifiers


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("a&b|~c", "a & b | ~c"),
        ("(a|b)&c", "(a | b) & c"),
        ("a&(b&c)", "a & (b & c)"),
        ("~(a&b)", "~(a & b)"),
        ("a=N", "a = not attempted"),
        ("2*{a,b}", "2*{a, b}"),
    ],
)
def test_str_is_canonical(text: str, printed: str) -> None:
    assert str(parse_prerequisites(text)) == printed


# endregion
# region errors


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("", 1, "an item identifier, '~', '(' or '{'"),
        ("   ", 4, "an item identifier, '~', '(' or '{'"),
        ("a &", 4, "an item identifier, '~', '(' or '{'"),
        ("a | | b", 5, "an item identifier, '~', '(' or '{'"),
        ("(a", 3, "'&', '|' or ')'"),
        ("a)", 2, "'&', '|' or the end of the expression"),
        ("a b", 3, "'&', '|' or the end of the expression"),
        ("a = x", 5, "a lesson status"),
        ("a =", 4, "a lesson status"),
        ("a = 'not'", 5, "a lesson status"),
        ("a = not", 8, "'attempted'"),
        ("a = not passed", 9, "'attempted'"),
        ("{}", 2, "an item identifier"),
        ("{a,}", 4, "an item identifier"),
        ("{a b}", 4, "',' or '}'"),
        ("2*a", 3, "'{'"),
        ("a $ b", 3, "an operator or identifier"),
        ("a < b", 3, "an operator or identifier"),
        ("a = 'passed", 12, "a closing '"),
    ],
)
def test_errors_name_column_and_expectation(text: str, column: int, expected: str) -> None:
    with pytest.raises(PrerequisitesError) as raised:
        parse_prerequisites(text)
    assert raised.value.column == column
    assert raised.value.expected.startswith(expected)
    assert f"column {column}: expected {expected}" in str(raised.value)


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="found the end of the expression"):
        parse_prerequisites("a &")


# endregion
# region property: printed trees parse back to the same meaning

# A test-side tree, evaluated here without the module: ("id", name), ("cmp", name, equal,
# spelling), ("set", count | None, names), ("not", x), ("and", x, y), ("or", x, y),
# ("paren", x) for redundant parentheses.
_NAMES = st.sampled_from(["a", "b", "c", "I_SCO-1", "x.2:y"])
_SPELLINGS = st.sampled_from(
    [*STATUSES, *ABBREVIATIONS, "PASSED", "Not  Attempted", "'failed'", '"B"']
)
_LEAVES = st.one_of(
    st.tuples(st.just("id"), _NAMES),
    st.tuples(st.just("cmp"), _NAMES, st.booleans(), _SPELLINGS),
    st.tuples(
        st.just("set"), st.none() | st.integers(0, 4), st.lists(_NAMES, min_size=1, max_size=4)
    ),
)
_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.tuples(st.just("not"), inner),
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
        st.tuples(st.just("paren"), inner),
    ),
    max_leaves=12,
)
_STATUS_MAPS = st.dictionaries(_NAMES, st.sampled_from(STATUSES))
_GAPS = st.sampled_from(["", " ", "  ", "\t", " \n "])
_RANK = {"or": 1, "and": 2}


def _oracle(tree: tuple, statuses: Mapping[str, str]) -> bool:
    def done(name: str) -> bool:
        return statuses.get(name, N) in (P, C)

    kind = tree[0]
    if kind == "id":
        return done(tree[1])
    if kind == "cmp":
        spelling = " ".join(tree[3].strip("'\"").split()).lower()
        return (statuses.get(tree[1], N) == STATUS_SPELLINGS[spelling]) == tree[2]
    if kind == "set":
        count = len(tree[2]) if tree[1] is None else tree[1]
        return sum(map(done, tree[2])) >= count
    if kind == "not":
        return not _oracle(tree[1], statuses)
    if kind == "and":
        return _oracle(tree[1], statuses) and _oracle(tree[2], statuses)
    if kind == "or":
        return _oracle(tree[1], statuses) or _oracle(tree[2], statuses)
    return _oracle(tree[1], statuses)  # paren


def _print(tree: tuple, gap: str) -> str:
    """Text for ``tree`` with only the parentheses precedence needs (plus ``paren`` nodes)."""

    def side(child: tuple, parent: str) -> str:
        needs = child[0] in _RANK and _RANK[child[0]] < _RANK[parent]
        text = _print(child, gap)
        return f"({gap}{text}{gap})" if needs else text

    kind = tree[0]
    if kind == "id":
        return tree[1]
    if kind == "cmp":
        return f"{tree[1]}{gap}{'=' if tree[2] else '<>'}{gap}{tree[3]}"
    if kind == "set":
        count = "" if tree[1] is None else f"{tree[1]}{gap}*{gap}"
        return f"{count}{{{gap}{f'{gap},{gap}'.join(tree[2])}{gap}}}"
    if kind == "not":
        operand = _print(tree[1], gap)
        return f"~{gap}({operand})" if tree[1][0] in _RANK else f"~{gap}{operand}"
    if kind in _RANK:
        symbol = "&" if kind == "and" else "|"
        return f"{side(tree[1], kind)}{gap}{symbol}{gap}{side(tree[2], kind)}"
    return f"({gap}{_print(tree[1], gap)}{gap})"


@given(tree=_TREES, statuses=_STATUS_MAPS, gap=_GAPS)
def test_printed_tree_evaluates_like_the_tree(
    tree: tuple, statuses: dict[str, str], gap: str
) -> None:
    expression = parse_prerequisites(_print(tree, gap))
    assert expression.evaluate(_status_of(statuses)) is _oracle(tree, statuses)


@given(tree=_TREES, gap=_GAPS)
def test_str_parses_back_to_the_same_tree(tree: tuple, gap: str) -> None:
    expression = parse_prerequisites(_print(tree, gap))
    assert parse_prerequisites(str(expression)) == expression


# endregion
