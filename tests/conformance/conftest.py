"""Ends the pytest output with the CTS summary line when the CTS ran."""

from __future__ import annotations

import pytest

#: ``CTS: N of 189 tests passed``, stashed by test_cts.py's ``cts_results`` fixture.
SUMMARY = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    line = config.stash.get(SUMMARY, None)
    if line:
        terminalreporter.write_line(line)
