"""The ``scorm-player`` command: import, list and delete courses, manage accounts, serve.

Every command reads :class:`~scorm_player.config.Settings` from the environment and brings
the database schema to head on first use, so a fresh install needs no set-up step. Errors a
user can cause (a bad package, a missing file, a bad setting) end with a message and exit
status 1, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import click

from scorm_player import __version__
from scorm_player.config import ConfigError, Settings
from scorm_player.humanize import file_size
from scorm_player.packaging import ImportReport, PackageRejected
from scorm_player.services import ImportOutcome, ServiceError, Services, open_services
from scorm_player.services.tokens import LAUNCH_TTL
from scorm_player.storage import ensure_schema, make_engine
from scorm_player.storage.records import Course

DEMO_USER = "admin"
DEMO_PASSWORD = "admin"
DEMO_LEARNER = "demo-learner"
DEMO_LEARNER_NAME = "Learner, Demo"


@click.group()
@click.version_option(__version__, prog_name="scorm-player")
def main() -> None:
    """scorm-player: import, play and track SCORM 1.2 and 2004 courses.

    Configured by SCORM_PLAYER_* environment variables (see the README).
    """


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def _services() -> Services:
    """The services for this command, schema upgraded; closed when the command ends."""
    services = open_services(_settings())
    click.get_current_context().call_on_close(services.close)
    return services


# --- import -------------------------------------------------------------------------------


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--course-id", help="Import as a new version of this existing course.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def import_command(file: Path, course_id: str | None, as_json: bool) -> None:
    """Import the SCORM package FILE (a .zip) as a new course or a new version."""
    problem = _unreadable(file)
    if problem:
        _fail(as_json, problem, code="file_unreadable", file=str(file))
    services = _services()
    try:
        with file.open("rb") as stream:
            outcome = services.courses.import_zip(stream, course_id=course_id, filename=file.name)
    except PackageRejected as rejected:
        _print_rejected(file, rejected.report, as_json)
        sys.exit(1)
    except ServiceError as error:
        _fail(as_json, str(error), code="course_not_found", file=str(file))
    except OSError as error:
        _fail(as_json, f"Cannot read {file}: {error.strerror or error}", code="file_unreadable")
    _print_imported(outcome, as_json)


def _unreadable(file: Path) -> str | None:
    if not file.exists():
        return f"{file}: no such file."
    if not file.is_file():
        return f"{file} is not a file (give the package's .zip, not a folder)."
    try:
        with file.open("rb"):
            return None
    except OSError as error:
        return f"Cannot read {file}: {error.strerror or error}."


def _fail(as_json: bool, message: str, *, code: str, file: str | None = None) -> None:
    """End an import with a message (or a JSON result holding it) and exit status 1."""
    if as_json:
        error = {"code": code, "severity": "error", "message": message, "file": file}
        click.echo(json.dumps(_import_json(None, ImportReport(), errors=[error])))
        sys.exit(1)
    raise click.ClickException(message)


def _import_json(
    outcome: ImportOutcome | None, report: ImportReport, *, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    data = report.to_dict()
    version = outcome.version if outcome else None
    return {
        "ok": outcome is not None,
        "course_id": version.course_id if version else None,
        "course_version": version.number if version else None,
        "version": version.scorm_version.value if version else None,
        "edition": version.edition.value if version and version.edition else None,
        "version_label": version.version_label if version else None,
        "title": version.title if version else None,
        "sco_count": version.sco_count if version else None,
        "file_count": version.file_count if version else None,
        "bytes": version.byte_count if version else None,
        "reused": outcome.reused if outcome else False,
        "warnings": data["warnings"],
        "errors": errors if errors is not None else data["errors"],
    }


def _print_imported(outcome: ImportOutcome, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(_import_json(outcome, outcome.report)))
        return
    version = outcome.version
    click.echo(f"Imported {version.title!r}")
    click.echo(f"  course id:    {version.course_id} (version {version.number})")
    click.echo(f"  SCORM:        {version.version_label}")
    click.echo(f"  SCOs:         {version.sco_count}")
    click.echo(f"  files:        {version.file_count} ({file_size(version.byte_count)})")
    _print_findings("warning", outcome.report.warnings)


def _print_rejected(file: Path, report: ImportReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(_import_json(None, report)))
        return
    click.echo(f"Rejected {file.name}: the package has errors and was not imported.", err=True)
    _print_findings("error", report.errors, err=True)
    _print_findings("warning", report.warnings, err=True)


def _print_findings(kind: str, findings: list[Any], *, err: bool = False) -> None:
    if not findings:
        return
    click.echo(f"  {len(findings)} {kind}{'s' if len(findings) != 1 else ''}:", err=err)
    for finding in findings:
        click.echo(f"    {finding}", err=err)


# --- courses / delete ---------------------------------------------------------------------


@main.command("courses")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list on stdout.")
def courses_command(as_json: bool) -> None:
    """List the imported courses."""
    courses = _services().courses.list()
    if as_json:
        click.echo(json.dumps([_course_json(course) for course in courses]))
        return
    if not courses:
        click.echo("No courses yet. Import one with: scorm-player import COURSE.zip")
        return
    rows = [("ID", "VERSION", "SCORM", "SCOS", "IMPORTED", "TITLE")]
    for course in courses:
        latest = course.latest
        assert latest is not None
        rows.append(
            (
                course.id,
                f"v{latest.number}",
                latest.version_label,
                str(latest.sco_count),
                latest.imported_at.strftime("%Y-%m-%d %H:%M"),
                course.title,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        click.echo("  ".join([*cells, row[-1]]))


def _course_json(course: Course) -> dict[str, Any]:
    latest = course.latest
    return {
        "course_id": course.id,
        "title": course.title,
        "latest_version": course.latest_version,
        "version": latest.scorm_version.value if latest else None,
        "version_label": latest.version_label if latest else None,
        "sco_count": latest.sco_count if latest else None,
        "imported_at": latest.imported_at.isoformat() if latest else None,
        "versions": [v.number for v in course.versions],
    }


@main.command("delete")
@click.argument("course_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_command(course_id: str, yes: bool) -> None:
    """Delete a course: every version, its files and its registrations."""
    services = _services()
    try:
        course = services.courses.get(course_id)
        if not yes:
            count = len(course.versions)
            click.confirm(
                f"Delete {course.title!r} ({course_id}), its {count} version"
                f"{'s' if count != 1 else ''} and all learner records?",
                abort=True,
            )
        services.courses.delete(course_id)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Deleted {course.title!r} ({course_id}).")


# --- run-time: links, results, policy -------------------------------------------------------


@main.command("launch-link")
@click.argument("course_id")
@click.option("--learner-id", required=True, help="The learner's id in your system.")
@click.option("--learner-name", default="", help='Shown to the SCO, "Last, First" by convention.')
@click.option(
    "--base-url",
    help="The content origin learners open (default: SCORM_PLAYER_CONTENT_URL, else "
    "http://127.0.0.1:5000).",
)
@click.option(
    "--expires-in", type=click.IntRange(min=1), default=LAUNCH_TTL, show_default=True,
    help="Seconds the link stays valid.",
)
@click.option(
    "--window", type=click.Choice(["same", "new"]),
    help="Open the SCOs in the player's page or in a new window (default: the course's).",
)
@click.option("--return-to", help="Where Exit takes the learner (a path, or an allowed host).")
def launch_link_command(
    course_id: str, learner_id: str, learner_name: str, base_url: str | None, expires_in: int,
    window: str | None, return_to: str | None,
) -> None:
    """Print a launch link: the learner opens it to take (or resume) the course."""
    services = _services()
    base_url = base_url or services.settings.local_urls(5000)[1]
    try:
        token = services.launches.make_link_token(
            course_id, learner_id, learner_name or learner_id, expires_in=expires_in
        )
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    query = urlencode({k: v for k, v in (("window", window), ("return_to", return_to)) if v})
    click.echo(f"{base_url.rstrip('/')}/launch/{token}" + (f"?{query}" if query else ""))


@main.command("results")
@click.argument("course_id")
@click.option("--learner-id", required=True, help="The learner's id in your system.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def results_command(course_id: str, learner_id: str, as_json: bool) -> None:
    """Show a learner's results on a course, SCO by SCO."""
    try:
        results = _services().tracking.results(course_id, learner_id)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(results.to_dict()))
        return
    summary = results.summary
    click.echo(f"{results.learner.name} ({results.learner.external_id}) on {course_id} "
               f"v{results.version_number}")
    click.echo(f"  completion: {summary.completion_status}   success: {summary.success_status}"
               f"   time: {_duration(summary.total_seconds)}")
    rows = [("ITEM", "ATTEMPTS", "COMPLETION", "SUCCESS", "SCORE", "TIME")]
    for sco in results.scos:
        data = sco.to_dict()
        score = data.get("score") or {}
        shown = score.get("scaled") if score.get("scaled") is not None else score.get("raw")
        rows.append((
            sco.item_identifier, str(sco.attempt_count), data["completion_status"],
            data["success_status"], "" if shown is None else f"{shown:g}",
            _duration(data.get("total_seconds", 0.0)),
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


@main.command("policy")
@click.argument("course_id")
@click.argument("policy", type=click.Choice(["lenient", "strict", "default"]), required=False)
def policy_command(course_id: str, policy: str | None) -> None:
    """Show or set a course's run-time compatibility policy ("default": the global setting)."""
    services = _services()
    try:
        if policy is None:
            course = services.courses.get(course_id)
        else:
            course = services.courses.set_policy(course_id, None if policy == "default" else policy)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    effective = course.compat_policy or services.settings.compat_policy
    origin = "this course" if course.compat_policy else "SCORM_PLAYER_COMPAT_POLICY"
    click.echo(f"{course_id}: {effective} (from {origin})")


@main.command("window")
@click.argument("course_id")
@click.argument("window", type=click.Choice(["same", "new", "default"]), required=False)
def window_command(course_id: str, window: str | None) -> None:
    """Show or set where a course's SCOs open: in the player's page, or a new window
    ("default": the player's page). A launch link's ?window= wins over it."""
    services = _services()
    try:
        if window is None:
            course = services.courses.get(course_id)
        else:
            course = services.courses.set_launch_window(
                course_id, None if window == "default" else window
            )
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    origin = "this course" if course.launch_window else "the default"
    click.echo(f"{course_id}: {course.launch_window or 'same'} window (from {origin})")


# --- accounts and database ------------------------------------------------------------------


@main.command("create-user")
@click.argument("username")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for when not given.",
)
@click.option(
    "--role", type=click.Choice(["designer", "admin"]), default="designer", show_default=True
)
def create_user_command(username: str, password: str, role: str) -> None:
    """Create a designer account for the course library."""
    try:
        user = _services().users.create(username, password, role)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} {user.username!r}.")


@main.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
def db_upgrade_command() -> None:
    """Bring the database schema to the latest version (every command also does this)."""
    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        changed = ensure_schema(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    click.echo(f"{'Upgraded' if changed else 'Already up to date:'} {where}")


# --- serve / demo ---------------------------------------------------------------------------


def _host_option(function: Any) -> Any:
    function = click.option("--port", default=5000, show_default=True, type=int)(function)
    return click.option("--host", default="127.0.0.1", show_default=True)(function)


@main.command("serve")
@_host_option
def serve_command(host: str, port: int) -> None:
    """Run the web app with the built-in server (use a WSGI server in production)."""
    _serve(host, port)


@main.command("demo")
@_host_option
@click.option("--no-serve", is_flag=True, help="Prepare the demo, then exit.")
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Import the demo course, make a demo sign-in and serve the app."""
    from scorm_player.services.demo import install_demo

    services = _services()
    try:
        outcome = install_demo(services.courses)
    except PackageRejected as rejected:
        _print_rejected(Path("demo course"), rejected.report, as_json=False)
        sys.exit(1)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from None
    version = outcome.version
    state = "already imported" if outcome.reused else "imported"
    click.echo(f"Demo course {state}: {version.title!r} ({version.version_label})")
    click.echo(f"  course id: {version.course_id}")

    settings = services.settings
    username = settings.admin_user or DEMO_USER
    password = settings.admin_password or DEMO_PASSWORD
    _, created = services.users.ensure(username, password, role="admin")
    works = services.users.authenticate(username, password) is not None
    click.echo("")
    click.echo("Sign in to the course library with:")
    click.echo(f"  username: {username}")
    click.echo(f"  password: {password if works else '(unchanged: the one you set earlier)'}")
    if created and password == DEMO_PASSWORD:
        click.secho(
            "  This admin/admin account is for the local demo only. Do not expose this "
            "server; set SCORM_PLAYER_ADMIN_USER and SCORM_PLAYER_ADMIN_PASSWORD for real use.",
            fg="yellow",
        )
    token = services.launches.make_link_token(version.course_id, DEMO_LEARNER, DEMO_LEARNER_NAME)
    click.echo("")
    click.echo("Take the course as a learner (no sign-in; the same link resumes it):")
    click.echo(f"  {settings.local_urls(port)[1]}/launch/{token}")
    click.echo("")
    if not no_serve:
        _serve(host, port, path=f"/courses/{version.course_id}")


_LOOPBACK_OR_ANY = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::")


def _serve(host: str, port: int, *, path: str = "/") -> None:
    from scorm_player.web import create_app

    try:
        app = create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    # The app origin; learners' links go to the content origin (see web/security.py).
    settings = _settings()
    app_url, content_url = settings.local_urls(port)
    click.echo(f"scorm-player is running: open {app_url}{path}")
    click.echo(f"Courses play on {content_url}.")
    if settings.app_url is None and host not in _LOOPBACK_OR_ANY:
        click.secho(
            f"  Only localhost and 127.0.0.1 are served: set SCORM_PLAYER_APP_URL and "
            f"SCORM_PLAYER_CONTENT_URL to reach this server as {host}.",
            fg="yellow",
        )
    click.echo("Press Ctrl+C to stop.")
    app.run(host=host, port=port, debug=False, use_reloader=False)
