"""Reading the CTS data kept in ``../shared/cts`` (see its README.md).

- :func:`read_properties`: Java ``.properties`` files (ISO-8859-1, ``\\`` continuations,
  ``\\uXXXX`` escapes), the format of the test scripts and the three resource bundles.
- :class:`Script`: one test script (``testcases/<ID>.properties``) and what the runner needs
  from it: the activity visits in the order the script lists them (the expected delivery
  order), and each visit's user instruction (``CUI``) and UI questions (``UIQ``/``UIA``).
- :func:`test_ids` / :func:`script_for`: the 189 package ids and their ``tc`` script (DDMa
  and DDMb share ``DDM``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

VISIT_KEY = re.compile(r"^Act(?P<act>[0-9A-Za-z]+?)V(?P<visit>[0-9]+)\.(?P<rest>.+)$")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def read_properties(path: Path) -> dict[str, str]:
    """Parse a Java properties file the way ``java.util.Properties.load`` does (insertion
    order kept, a repeated key keeps its last value)."""
    text = path.read_bytes().decode("latin-1")
    return parse_properties(text)


def parse_properties(text: str) -> dict[str, str]:
    return dict(parse_entries(text))


def parse_entries(text: str) -> list[tuple[str, str]]:
    """Every ``key=value`` entry in file order, repeated keys included."""
    entries = []
    for logical in _logical_lines(text):
        key, value = _split_entry(logical)
        entries.append((_unescape(key), _unescape(value)))
    return entries


def _logical_lines(text: str) -> list[str]:
    natural = re.split(r"\r\n|\r|\n", text)
    lines: list[str] = []
    current: str | None = None
    for raw in natural:
        line = raw.lstrip(" \t\f") if current is not None else raw
        if current is None:
            stripped = line.lstrip(" \t\f")
            if not stripped or stripped[0] in "#!":
                continue
            line = stripped
        trailing = len(line) - len(line.rstrip("\\"))
        continued = trailing % 2 == 1
        if continued:
            line = line[:-1]
        current = line if current is None else current + line
        if not continued:
            lines.append(current)
            current = None
    if current is not None:
        lines.append(current)
    return lines


def _split_entry(line: str) -> tuple[str, str]:
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            i += 2
            continue
        if c in "=: \t\f":
            break
        i += 1
    key = line[:i]
    rest = line[i:].lstrip(" \t\f")
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(" \t\f")
    return key, rest


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", text[i + 2 : i + 6] or ""):
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
            continue
        out.append(_ESCAPES.get(nxt, nxt))
        i += 2
    return "".join(out)


@dataclass(frozen=True)
class Erratum:
    """A visit of a test script that is labelled wrong, and the label it must have.

    Lines ``first``-``last`` (1-based, in the file as shipped) that start with ``wrong`` get
    ``right`` instead. Applied to the text before parsing; when the lines no longer start
    with ``wrong`` (the data changed) loading fails loudly rather than correcting blindly.
    """

    first: int
    last: int
    wrong: str
    right: str
    evidence: str


#: The suite's own data errors, by script. Each keeps the test's meaning; the evidence says
#: why the label cannot be what the suite meant. The report names every erratum applied.
ERRATA: dict[str, tuple[Erratum, ...]] = {
    "DDM": (
        Erratum(
            595, 604, "Act2aV3.", "Act2aV2.",
            "activity 2a is delivered a second time after Act1aV2 (flow, continue), but the "
            "script has no Act2aV2 block, only Act2aV1 and Act2aV3; the V3 block reads the "
            "shared data Act1aV2 wrote just before, so it is the second visit",
        ),
    ),
    "CM-09aa": (
        Erratum(
            18, 20, "Act1V1.", "Act1V2.",
            "Act1V1 is defined twice; the second block follows Act2V1's previous request, so "
            "it is activity 1's second visit (Java's Properties keeps only the second "
            "definition, and then no delivery order matches the script)",
        ),
    ),
}


def corrected(tc: str, text: str) -> str:
    """The script text with its errata applied (:data:`ERRATA`)."""
    lines = text.split("\n")
    for erratum in ERRATA.get(tc, ()):
        span = range(erratum.first - 1, erratum.last)
        if not lines[span[0]].startswith(erratum.wrong):
            raise ValueError(f"{tc}.properties line {erratum.first} no longer starts {erratum.wrong}")
        for index in span:
            if lines[index].startswith(erratum.wrong):
                lines[index] = erratum.right + lines[index][len(erratum.wrong) :]
    return "\n".join(lines)


@dataclass(frozen=True)
class Visit:
    """One expected delivery: activity ``act`` for the ``visit``-th time."""

    act: str
    visit: int
    commands: tuple[str, ...] = ()
    cui: str = ""
    uiq: str = ""
    uia: str = ""

    @property
    def label(self) -> str:
        return f"Act{self.act}V{self.visit}"


@dataclass
class Script:
    """A parsed test script."""

    tc: str
    properties: dict[str, str]
    visits: list[Visit] = field(default_factory=list)

    @classmethod
    def load(cls, cts_dir: Path, tc: str) -> "Script":
        text = (cts_dir / "testcases" / f"{tc}.properties").read_bytes().decode("latin-1")
        entries = parse_entries(corrected(tc, text))
        props = dict(entries)
        grouped: dict[tuple[str, int], dict[str, object]] = {}
        # A command number given twice keeps both commands, in file order: the suite repeats
        # numbers by mistake (CO-10 Act1V1 13 is its continue request and its cmi.exit; MS-07
        # Act6V1 2 sets two scores), and a test only passes when both run.
        for position, (key, value) in enumerate(entries):
            match = VISIT_KEY.match(key)
            if not match:
                continue
            slot = grouped.setdefault(
                (match["act"], int(match["visit"])), {"commands": {}, "other": {}}
            )
            rest = match["rest"]
            if rest.startswith("commands."):
                number = rest[len("commands.") :]
                if number.isdigit():
                    slot["commands"][(int(number), position)] = value  # type: ignore[index]
            else:
                slot["other"][rest] = value  # type: ignore[index]
        visits = []
        for (act, visit), slot in grouped.items():
            commands = slot["commands"]
            other = slot["other"]
            visits.append(
                Visit(
                    act, visit,
                    tuple(commands[k] for k in sorted(commands)),  # type: ignore[index]
                    other.get("CUI", ""), other.get("UIQ", ""), other.get("UIA", ""),  # type: ignore[union-attr]
                )
            )
        return cls(tc, props, visits)

    def order_problems(self) -> list[str]:
        """Where the script's listing order cannot be a delivery order: activity N's visits
        must be listed as V1, V2, V3..."""
        seen: dict[str, int] = {}
        problems = []
        for v in self.visits:
            expected = seen.get(v.act, 0) + 1
            if v.visit != expected:
                problems.append(f"{v.label} listed where Act{v.act}V{expected} was due")
            seen[v.act] = v.visit
        return problems


def test_ids(cts_dir: Path) -> list[str]:
    """The package ids, sorted."""
    return sorted(p.name for p in (cts_dir / "packages").iterdir() if p.is_dir())


def script_for(test_id: str) -> str:
    """The ``tc`` of a package (``DDMa``/``DDMb`` -> ``DDM``)."""
    return "DDM" if test_id in ("DDMa", "DDMb") else test_id


@dataclass(frozen=True)
class Organization:
    """The default organization of a package: its id, title and ``{item title: item id}``."""

    identifier: str
    title: str
    items: dict[str, str]
    acts: dict[str, str]  # the ``act`` of an item's parameters -> the item id

    def item_for(self, title: str) -> str | None:
        title = title.strip()
        if title == self.title:
            return self.identifier
        return self.items.get(title)


def organization(cts_dir: Path, test_id: str) -> Organization:
    import xml.etree.ElementTree as ET

    root = ET.parse(cts_dir / "packages" / test_id / "imsmanifest.xml").getroot()

    def local(element: ET.Element) -> str:
        return element.tag.rsplit("}", 1)[-1]

    def title_of(element: ET.Element) -> str:
        for child in element:
            if local(child) == "title":
                return " ".join((child.text or "").split())
        return ""

    def identifier(element: ET.Element) -> str:
        # xs:ID collapses whitespace: CM-07e's organization is identifier="   CASETEST   "
        return (element.get("identifier") or "").strip()

    orgs = [e for e in root.iter() if local(e) == "organizations"]
    default = (orgs[0].get("default") or "").strip() if orgs else None
    candidates = [e for e in root.iter() if local(e) == "organization"]
    org = next((e for e in candidates if identifier(e) == default), candidates[0])
    items: dict[str, str] = {}
    acts: dict[str, str] = {}
    for item in org.iter():
        if local(item) == "item":
            items.setdefault(title_of(item), identifier(item))
            act = re.search(r"act=([^&#]+)", item.get("parameters") or "")
            if act:
                acts.setdefault(act.group(1), identifier(item))
    return Organization(identifier(org), title_of(org), items, acts)
