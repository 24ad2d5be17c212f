"""Build zips from the fixture folders, the way an author's tool would."""

from __future__ import annotations

import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
PACKAGES = FIXTURES / "packages"


# Files several fixture packages share, kept once: package name -> {name in zip: source}.
_PROBE = {"probe.js": FIXTURES / "probe" / "probe.js"}
_PLAYER_SCO = {
    f"shared/{name}": PACKAGES / "player-scorm2004-flow" / "shared" / name
    for name in ("sco.js", "sco.css")
}
SHARED_FILES = {
    "probe-scorm12": _PROBE,
    "probe-scorm2004": _PROBE,
    "rt-scorm2004-settings": _PROBE,
    "player-scorm2004-rules": _PLAYER_SCO,
}


def zip_folder(
    folder: Path, destination: Path, *, prefix: str = "", extra: dict[str, Path] | None = None
) -> Path:
    """Zip every file under ``folder`` (plus ``extra`` files) into ``destination``.

    ``prefix`` nests everything in a folder, as a zip made of a folder would.
    """
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
        for name, source in (extra or {}).items():
            archive.write(source, prefix + name)
    return destination


def fixture_zip(name: str, tmp_path: Path, *, prefix: str = "") -> Path:
    """The fixture package ``tests/fixtures/packages/<name>`` as a zip in ``tmp_path``."""
    return zip_folder(
        PACKAGES / name, tmp_path / f"{name}.zip", prefix=prefix, extra=SHARED_FILES.get(name)
    )
