"""Assemble a CTS test package into a zip, as upstream's Ant recipe did (``shared-files.txt``).

Upstream's ``buildTestPackage`` macro copies ``packages/<ID>/`` and adds the shared files the
README lists (``common/``, ``includes/``, the schemas, the SCODepot pages). The one file we
cannot add is ``common/LMSTest.jar``, the Java applet; in its place go

- ``common/cts_driver.js``, the JavaScript stand-in for the applet, and
- ``common/cts_script.js``, ``window.CTS_SCRIPT``: the parsed test script and resource
  bundles, the run id and the harness URL the stand-in reports to;

the manifest's ``<file href="LMSTest.jar"/>`` names them instead, and every SCO page copy
loads both right after ``lmsrtefunctions.js``. ``xml.xsd`` goes next to the local-import
``imscp_v1p1.xsd`` (the CTS README says so). The data in ``../shared/cts`` is only read.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from tests.conformance.cts_data import Script, read_properties, script_for

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "cts_driver.js"
JAR = "common/LMSTest.jar"

_JAR_FILE = re.compile(r'<file\s+href="((?:common/)?)LMSTest\.jar"\s*/>')
_LMS_FUNCTIONS = re.compile(r'(<script[^>]*src="([^"]*)lmsrtefunctions\.js"[^>]*>\s*</script>)')


def shared_files(cts_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """``shared-files.txt`` as ``{section: [(path in package, path under cts_dir)]}``."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for raw in (cts_dir / "shared-files.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[(.+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), [])
            continue
        if current is None or "<-" not in line:
            raise ValueError(f"shared-files.txt: cannot read {raw!r}")
        dest, source = (part.strip() for part in line.split("<-", 1))
        current.append((dest, source))
    return sections


def script_payload(
    cts_dir: Path, script: Script, *, run_id: str, harness_url: str | None
) -> dict[str, Any]:
    """What ``window.CTS_SCRIPT`` holds."""
    return {
        "tc": script.tc,
        "run": run_id,
        "harness": harness_url,
        "visits": {
            v.label: {"commands": list(v.commands), "uiq": v.uiq, "uia": v.uia, "cui": v.cui}
            for v in script.visits
        },
        "order": [v.label for v in script.visits],
        "commands": read_properties(cts_dir / "commands.properties"),
        "instructions": read_properties(cts_dir / "instructions.properties"),
        "ui": read_properties(cts_dir / "userinterface.properties"),
    }


def assemble(
    cts_dir: Path,
    test_id: str,
    out_dir: Path,
    *,
    run_id: str,
    harness_url: str | None = None,
) -> Path:
    """Write ``<out_dir>/<test_id>.zip`` and return its path."""
    sections = shared_files(cts_dir)
    package_dir = cts_dir / "packages" / test_id
    members: dict[str, bytes] = {}
    for path in sorted(package_dir.rglob("*")):
        if path.is_file():
            members[path.relative_to(package_dir).as_posix()] = path.read_bytes()
    for dest, source in sections.get("ALL", []) + sections.get(test_id, []):
        if dest == JAR:
            continue  # the applet: replaced by the stand-in below
        members[dest] = (cts_dir / source).read_bytes()
    if "imscp_v1p1.xsd" in members:
        members["xml.xsd"] = (cts_dir / "xsd" / "xml.xsd").read_bytes()

    script = Script.load(cts_dir, script_for(test_id))
    payload = script_payload(cts_dir, script, run_id=run_id, harness_url=harness_url)
    members["common/cts_script.js"] = (
        "window.CTS_SCRIPT = " + json.dumps(payload, ensure_ascii=True) + ";\n"
    ).encode("ascii")
    members["common/cts_driver.js"] = DRIVER.read_bytes()
    members["imsmanifest.xml"] = _JAR_FILE.sub(
        r'<file href="\1cts_driver.js"/><file href="\1cts_script.js"/>',
        members["imsmanifest.xml"].decode("utf-8"),
    ).encode("utf-8")
    for name, data in list(members.items()):
        if name.lower().endswith((".htm", ".html")) and b"lmsrtefunctions.js" in data:
            members[name] = _with_stand_in(data)

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{test_id}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            archive.writestr(name, members[name])
    return target


def _with_stand_in(page: bytes) -> bytes:
    text = page.decode("latin-1")

    def add(match: re.Match[str]) -> str:
        base = match.group(2)
        return (
            f'{match.group(1)}\n      <script type="text/javascript" src="{base}cts_script.js">'
            f'</script>\n      <script type="text/javascript" src="{base}cts_driver.js"></script>'
        )

    text, count = _LMS_FUNCTIONS.subn(add, text, count=1)
    if count != 1:
        raise ValueError("no lmsrtefunctions.js script tag to add the stand-in after")
    return text.encode("latin-1")
