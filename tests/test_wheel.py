"""The built wheel works on its own: assets, migrations, the CLI and the app, outside the checkout.

Builds a wheel from a copy of the sources (so stale ``build/`` output cannot leak in), installs
it with its dependencies into a fresh virtual environment and runs it from a folder that is not
the repository, so nothing can be found by accident through the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.zipping import fixture_zip

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("setup.cfg", "setup.py", "pyproject.toml", "README.md", "scorm_player", "static", "templates")
TIMEOUT = 300

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A fresh virtual environment with the wheel installed, and a clean environment."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        elif path.exists():
            shutil.copy2(path, source / name)
    _run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-w", work / "dist", "-q", cwd=work)
    (wheel,) = (work / "dist").glob("scorm_player-*.whl")

    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    _run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=work)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCORM_PLAYER_", "PYTHON"))}
    env["SCORM_PLAYER_DATA_DIR"] = str(work / "data")
    run_dir = work / "run"
    run_dir.mkdir()
    yield {"bin": bin_dir, "env": env, "cwd": run_dir, "work": work}


def _installed(installed: dict[str, Any], command: str, *args: str | Path) -> str:
    """Run a command of the virtual environment, from outside the checkout; its stdout."""
    run = _run(installed["bin"] / command, *args, cwd=installed["cwd"], env=installed["env"])
    return run.stdout


def _python(installed: dict[str, Any], code: str) -> str:
    return _installed(installed, "python", "-c", code)


def test_the_installed_package_finds_its_assets(installed: dict[str, Any]) -> None:
    out = _python(
        installed,
        "import json, scorm_player, scorm_player.resources as r\n"
        "from scorm_player.storage.db import MIGRATIONS_DIR\n"
        "print(json.dumps({'package': scorm_player.__file__, 'static': str(r.static_dir()),"
        " 'templates': str(r.templates_dir()), 'checkout': str(r.source_checkout_root()),"
        " 'migrations': sorted(p.name for p in (MIGRATIONS_DIR / 'versions').glob('*.py'))}))",
    )
    found = json.loads(out)

    package_dir = Path(found["package"]).parent
    assert not package_dir.is_relative_to(ROOT)
    assert Path(found["static"]) == package_dir / "static"
    assert Path(found["templates"]) == package_dir / "templates"
    assert (package_dir / "static" / "css" / "app.css").is_file()
    assert (package_dir / "static" / "js" / "upload.js").is_file()
    assert (package_dir / "templates" / "base.html").is_file()
    assert (package_dir / "templates" / "library" / "detail.html").is_file()
    assert found["checkout"] == "None"
    assert "0001_initial.py" in found["migrations"]


def test_the_installed_cli_imports_a_package(installed: dict[str, Any], tmp_path: Path) -> None:
    zip_path = fixture_zip("scorm12-single-sco", tmp_path)

    data = json.loads(_installed(installed, "scorm-player", "import", zip_path, "--json"))

    assert data["ok"] is True and data["version"] == "1.2"
    assert (installed["work"] / "data" / data["course_id"] / "v1" / "imsmanifest.xml").is_file()


def test_the_installed_app_renders_the_login_page(installed: dict[str, Any]) -> None:
    out = _python(
        installed,
        "from scorm_player.web import create_app\n"
        "client = create_app({'TESTING': True}).test_client()\n"
        "page = client.get('/auth/login')\n"
        "css = client.get('/static/css/app.css')\n"
        "print(page.status_code, 'Sign in' in page.text, css.status_code)",
    )
    assert out.split() == ["200", "True", "200"]
    assert (installed["work"] / "data" / "secret_key").is_file()


@pytest.mark.skipif(
    not (ROOT / "scorm_player" / "demo" / "course" / "imsmanifest.xml").is_file(),
    reason="the demo course is not in this checkout",
)
def test_the_installed_demo_prepares_itself(installed: dict[str, Any]) -> None:
    out = _installed(installed, "scorm-player", "demo", "--no-serve")
    assert "Demo course" in out and "username: admin" in out
