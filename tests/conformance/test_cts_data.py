"""The CTS script reader: errata are applied where the suite's data is wrong, loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.cts_data import ERRATA, Erratum, Script, corrected, parse_properties


def test_an_erratum_relabels_the_visit_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ERRATA, "T", (Erratum(2, 3, "Act1V1.", "Act1V2.", "why"),))
    text = "Act1V1.commands.0=I->->t->0\nAct1V1.commands.0=I->->t->0\nAct1V1.CUI=Exit\nx=1"

    fixed = parse_properties(corrected("T", text))

    assert fixed == {
        "Act1V1.commands.0": "I->->t->0", "Act1V2.commands.0": "I->->t->0",
        "Act1V2.CUI": "Exit", "x": "1",
    }


def test_an_erratum_whose_line_changed_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ERRATA, "T", (Erratum(1, 1, "Act2aV3.", "Act2aV2.", "why"),))

    with pytest.raises(ValueError, match="no longer starts"):
        corrected("T", "Act2aV2.commands.0=I->->t->0")


def test_a_script_without_errata_is_read_as_shipped() -> None:
    assert corrected("API", "a=1\nb=2") == "a=1\nb=2"


def test_a_command_number_given_twice_keeps_both_commands_in_file_order(tmp_path: Path) -> None:
    (tmp_path / "testcases").mkdir()
    (tmp_path / "testcases" / "T.properties").write_text(
        "Act1V1.commands.0=I->->t->0\nAct1V1.commands.1=SET->a~n~r!N.c->t->0\n"
        "Act1V1.commands.1=SET->c~X!X.s->t->0\nAct1V1.CUI=Exit\n",
        encoding="latin-1",
    )

    visit = Script.load(tmp_path, "T").visits[0]

    assert visit.commands == ("I->->t->0", "SET->a~n~r!N.c->t->0", "SET->c~X!X.s->t->0")
