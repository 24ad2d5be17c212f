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
    result: dict[str, str] = {}
    for logical in _logical_lines(text):
        key, value = _split_entry(logical)
        result[_unescape(key)] = _unescape(value)
    return result


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
        props = read_properties(cts_dir / "testcases" / f"{tc}.properties")
        grouped: dict[tuple[str, int], dict[str, object]] = {}
        for key, value in props.items():
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
                    slot["commands"][int(number)] = value  # type: ignore[index]
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
