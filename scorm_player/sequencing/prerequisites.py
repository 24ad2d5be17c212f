"""SCORM 1.2 ``adlcp:prerequisites`` of type ``aicc_script``: parse and evaluate.

SCORM 1.2 CAM 2.3.2.5.1 borrows the AICC CMI001 logic-statement script; the LMS uses it to
decide whether a leaf item may be launched (``cam-packaging.md`` section 5.1). The grammar
this module accepts, lowest precedence first::

    expression := or_expr END
    or_expr    := and_expr ( "|" and_expr )*
    and_expr   := unary ( "&" unary )*
    unary      := "~" unary | primary
    primary    := "(" or_expr ")"
                | COUNT "*" set                  at least COUNT members are true
                | set                            every member is true
                | IDENT ( "=" | "<>" ) status    the item's lesson_status is (not) status
                | IDENT                          the item is passed or completed
    set        := "{" IDENT ( "," IDENT )* "}"
    status     := passed | completed | failed | incomplete | browsed | not attempted
                | p | c | f | i | b | n          (any case, optionally quoted)

``IDENT`` is an item identifier: letters, digits, ``_``, ``-``, ``.`` and ``:``; ``COUNT`` is
a run of ASCII digits. Whitespace between tokens is ignored.

SPEC COMPLIANCE NOTE: AICC defines a set ``{...}`` only as the operand of ``X*``; a bare set
is accepted here and means "all members" (the same as ``len*{...}``). Quoted statuses
(``a="passed"``) are tolerated because Moodle's evaluator accepts them too. A count larger
than its set is not an error; it is simply never met.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar, NamedTuple, NoReturn

from scorm_player.datamodel.elements_12 import LESSON_STATUS

__all__ = [
    "STATUS_SPELLINGS",
    "And",
    "Comparison",
    "Expression",
    "Identifier",
    "ItemSet",
    "Not",
    "Or",
    "PrerequisitesError",
    "StatusOf",
    "parse_prerequisites",
]

NOT_ATTEMPTED = "not attempted"

#: Every spelling of a status value a script may use, lowercased, to its
#: ``cmi.core.lesson_status`` name (AICC CMI001 one-letter abbreviations included).
STATUS_SPELLINGS: dict[str, str] = {
    **{name: name for name in (*LESSON_STATUS, NOT_ATTEMPTED)},
    "p": "passed",
    "c": "completed",
    "f": "failed",
    "i": "incomplete",
    "b": "browsed",
    "n": NOT_ATTEMPTED,
}

#: The statuses that make a bare identifier true (``cam-packaging.md`` section 5.1).
_SATISFIED = frozenset({"passed", "completed"})

StatusOf = Callable[[str], str]
"""``status_of(identifier)``: the item's lesson_status, ``"not attempted"`` if never launched."""


class PrerequisitesError(ValueError):
    """A prerequisites script that does not follow the grammar.

    :ivar column: 1-based character position in the script where parsing stopped.
    :ivar expected: what the grammar allows there, in words.
    :ivar found: what stands there instead.
    """

    def __init__(self, text: str, column: int, expected: str, found: str) -> None:
        super().__init__(f"column {column}: expected {expected}, found {found}")
        self.text = text
        self.column = column
        self.expected = expected
        self.found = found


def _status(value: str) -> str:
    """The lesson_status name of ``value``; blank counts as never attempted."""
    key = " ".join(value.split()).lower()
    return STATUS_SPELLINGS.get(key, key) if key else NOT_ATTEMPTED


# region expression tree


class Expression:
    """A parsed prerequisites script; ``str()`` prints it back in canonical form."""

    __slots__ = ()
    #: 1 for ``|``, 2 for ``&``, 3 for everything that needs no parentheses.
    precedence = 3

    def evaluate(self, status_of: StatusOf) -> bool:
        """Whether the prerequisites are met, given each item's lesson_status."""
        raise NotImplementedError

    def identifiers(self) -> tuple[str, ...]:
        """The item identifiers referenced, each once, in order of first appearance."""
        return tuple(dict.fromkeys(self._identifiers()))

    def _identifiers(self) -> Iterator[str]:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Identifier(Expression):
    """``id``: true when the item is passed or completed."""

    identifier: str

    def evaluate(self, status_of: StatusOf) -> bool:
        return _status(status_of(self.identifier)) in _SATISFIED

    def _identifiers(self) -> Iterator[str]:
        yield self.identifier

    def __str__(self) -> str:
        return self.identifier


@dataclass(frozen=True, slots=True)
class Comparison(Expression):
    """``id = status`` (``equal``) or ``id <> status``; ``status`` is a full lesson_status."""

    identifier: str
    status: str
    equal: bool = True

    def evaluate(self, status_of: StatusOf) -> bool:
        return (_status(status_of(self.identifier)) == self.status) == self.equal

    def _identifiers(self) -> Iterator[str]:
        yield self.identifier

    def __str__(self) -> str:
        return f"{self.identifier} {'=' if self.equal else '<>'} {self.status}"


@dataclass(frozen=True, slots=True)
class ItemSet(Expression):
    """``n*{a,b,c}``: at least ``at_least`` members are true; ``{a,b,c}``: all are."""

    members: tuple[str, ...]
    at_least: int | None = None

    def evaluate(self, status_of: StatusOf) -> bool:
        required = len(self.members) if self.at_least is None else self.at_least
        met = sum(Identifier(member).evaluate(status_of) for member in self.members)
        return met >= required

    def _identifiers(self) -> Iterator[str]:
        yield from self.members

    def __str__(self) -> str:
        count = "" if self.at_least is None else f"{self.at_least}*"
        return f"{count}{{{', '.join(self.members)}}}"


@dataclass(frozen=True, slots=True)
class Not(Expression):
    """``~x``."""

    operand: Expression

    def evaluate(self, status_of: StatusOf) -> bool:
        return not self.operand.evaluate(status_of)

    def _identifiers(self) -> Iterator[str]:
        return self.operand._identifiers()

    def __str__(self) -> str:
        return f"~{_wrapped(self.operand, Expression.precedence)}"


@dataclass(frozen=True, slots=True)
class _Chain(Expression):
    """``a op b op ...`` for one n-ary operator: its symbol and how it folds the operands."""

    operands: tuple[Expression, ...]
    symbol: ClassVar[str]
    fold: ClassVar[Callable[[Iterable[bool]], bool]]

    def evaluate(self, status_of: StatusOf) -> bool:
        return self.fold(operand.evaluate(status_of) for operand in self.operands)

    def _identifiers(self) -> Iterator[str]:
        for operand in self.operands:
            yield from operand._identifiers()

    def __str__(self) -> str:
        operands = (_wrapped(operand, self.precedence + 1) for operand in self.operands)
        return f" {self.symbol} ".join(operands)


@dataclass(frozen=True, slots=True)
class And(_Chain):
    """``a & b & ...``: every operand is true."""

    precedence = 2
    symbol = "&"
    fold = all


@dataclass(frozen=True, slots=True)
class Or(_Chain):
    """``a | b | ...``: some operand is true."""

    precedence = 1
    symbol = "|"
    fold = any


def _wrapped(operand: Expression, at_least: int) -> str:
    """``operand`` printed, in parentheses unless it binds at least as tight as ``at_least``.

    A nested ``&`` inside ``&`` keeps its parentheses, so printing and parsing again gives
    back the same tree.
    """
    return str(operand) if operand.precedence >= at_least else f"({operand})"


# endregion
# region tokenizer


class _Token(NamedTuple):
    kind: str  # "word", "quoted", "end", or the operator itself ("&", "<>", "{" ...)
    text: str
    column: int


_TOKENS = re.compile(
    r"""(?P<space>\s+)
      | (?P<word>[\w.:-]+)
      | (?P<quoted>'[^']*'|"[^"]*")
      | (?P<op><>|[&|~=(){},*])""",
    re.VERBOSE,
)
_COUNT = re.compile(r"[0-9]+")


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKENS.match(text, position)
        if match is None:
            char = text[position]
            expected = f"a closing {char}" if char in "'\"" else "an operator or identifier"
            found = "the end of the expression" if char in "'\"" else repr(char)
            column = len(text) + 1 if char in "'\"" else position + 1
            raise PrerequisitesError(text, column, expected, found)
        kind = match.lastgroup or ""
        if kind == "word" or kind == "quoted":
            tokens.append(_Token(kind, match.group(), position + 1))
        elif kind == "op":
            tokens.append(_Token(match.group(), match.group(), position + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


# endregion
# region parser

_OPERAND = "an item identifier, '~', '(' or '{'"
_STATUS = (
    "a lesson status (passed, completed, failed, incomplete, browsed, not attempted"
    " or p, c, f, i, b, n)"
)


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._tokens = _tokenize(text)
        self._index = 0

    def parse(self) -> Expression:
        expression = self._or_expr()
        self._expect("end", "'&', '|' or the end of the expression")
        return expression

    def _or_expr(self) -> Expression:
        operands = [self._and_expr()]
        while self._accept("|"):
            operands.append(self._and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and_expr(self) -> Expression:
        operands = [self._unary()]
        while self._accept("&"):
            operands.append(self._unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _unary(self) -> Expression:
        if self._accept("~"):
            return Not(self._unary())
        return self._primary()

    def _primary(self) -> Expression:
        token = self._peek()
        if self._accept("("):
            inner = self._or_expr()
            self._expect(")", "'&', '|' or ')'")
            return inner
        if token.kind == "{":
            return self._set(None)
        if token.kind != "word":
            self._fail(_OPERAND)
        self._index += 1
        if _COUNT.fullmatch(token.text) and self._accept("*"):
            return self._set(int(token.text))
        if self._accept("="):
            return Comparison(token.text, self._status(), equal=True)
        if self._accept("<>"):
            return Comparison(token.text, self._status(), equal=False)
        return Identifier(token.text)

    def _set(self, at_least: int | None) -> ItemSet:
        self._expect("{", "'{'")
        members = [self._expect("word", "an item identifier").text]
        while self._accept(","):
            members.append(self._expect("word", "an item identifier").text)
        self._expect("}", "',' or '}'")
        return ItemSet(tuple(members), at_least)

    def _status(self) -> str:
        token = self._peek()
        spelling = token.text.lower()
        if token.kind == "quoted":
            spelling = " ".join(spelling[1:-1].split())
        elif token.kind == "word" and spelling == "not":  # "not attempted" is two words
            self._index += 1
            if self._peek().kind != "word" or self._peek().text.lower() != "attempted":
                self._fail("'attempted'")
            spelling = NOT_ATTEMPTED
        if token.kind not in ("word", "quoted") or spelling not in STATUS_SPELLINGS:
            self._fail(_STATUS)
        self._index += 1
        return STATUS_SPELLINGS[spelling]

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _accept(self, kind: str) -> bool:
        if self._peek().kind == kind:
            self._index += 1
            return True
        return False

    def _expect(self, kind: str, expected: str) -> _Token:
        token = self._peek()
        if token.kind != kind:
            self._fail(expected)
        self._index += 1
        return token

    def _fail(self, expected: str) -> NoReturn:
        token = self._peek()
        found = "the end of the expression" if token.kind == "end" else repr(token.text)
        raise PrerequisitesError(self._text, token.column, expected, found)


# endregion


def parse_prerequisites(text: str) -> Expression:
    """Parse an ``aicc_script`` prerequisites expression (grammar in the module docstring).

    :param text: the text of ``adlcp:prerequisites``, already XML-unescaped.
    :raises PrerequisitesError: naming the column and what the grammar expected there.
    """
    return _Parser(text).parse()
