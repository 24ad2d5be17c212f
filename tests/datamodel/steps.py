"""A tiny language for API call sequences, so vectors read like conformance-vectors.md.

``S(name, value, returns, code)`` is a SetValue, ``G(name, returns, code)`` a GetValue,
``I``/``T``/``C`` Initialize/Terminate/Commit, ``E(code, returns, last)`` a GetErrorString
after which GetLastError must still say ``last``. Every step asserts both the return value
and the error code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scorm_player.datamodel import CMIRuntime


@dataclass(frozen=True)
class Step:
    call: str
    args: tuple[str, ...]
    returns: str
    code: int


def G(name: str, returns: str, code: int = 0) -> Step:
    return Step("get_value", (name,), returns, code)


def S(name: str, value: str, returns: str = "true", code: int = 0) -> Step:
    return Step("set_value", (name, value), returns, code)


def I(argument: str = "", returns: str = "true", code: int = 0) -> Step:  # noqa: E743
    return Step("initialize", (argument,), returns, code)


def T(argument: str = "", returns: str = "true", code: int = 0) -> Step:
    return Step("terminate", (argument,), returns, code)


def C(argument: str = "", returns: str = "true", code: int = 0) -> Step:
    return Step("commit", (argument,), returns, code)


def L(returns: str) -> Step:
    """GetLastError()."""
    return Step("get_last_error", (), returns, int(returns))


def E(code: str, returns: str, last: int) -> Step:
    """GetErrorString(code); the last error stays ``last``."""
    return Step("get_error_string", (code,), returns, last)


@dataclass(frozen=True)
class Vector:
    """One row of conformance-vectors.md: setup, then steps."""

    id: str
    steps: Sequence[Step]
    started: bool = True
    options: dict[str, Any] = field(default_factory=dict)


def run(runtime: CMIRuntime, steps: Sequence[Step]) -> None:
    """Play ``steps``, asserting each return value and error code."""
    for number, step in enumerate(steps):
        result = getattr(runtime, step.call)(*step.args)
        got = (result, int(runtime.get_last_error()))
        want = (step.returns, step.code)
        assert got == want, f"step {number}: {step.call}{_short(step.args)} -> {_short(got)}, want {_short(want)}"


def _short(values: tuple) -> tuple:
    return tuple(
        v if not isinstance(v, str) or len(v) < 60 else f"{v[:20]}...({len(v)} chars)"
        for v in values
    )


def play(version: str, vector: Vector) -> CMIRuntime:
    """A fresh runtime for ``vector`` (initialized unless ``started=False``), played."""
    runtime = CMIRuntime(version, **vector.options)  # type: ignore[arg-type]
    if vector.started:
        run(runtime, [I()])
    run(runtime, vector.steps)
    return runtime
