"""The designer's course library: list, upload (new course or new version), detail, preview.

Every page needs a signed-in designer. An upload answers HTML to a plain form post and JSON to
``static/js/upload.js`` (which posts with ``Accept: application/json`` to show progress); both
end on the import report: the course page on success, the errors on the upload page otherwise.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from scorm_player.packaging import Item, PackageRejected
from scorm_player.services import CourseNotFound
from scorm_player.storage.records import Course, CourseVersion
from scorm_player.web.common import services, wants_json
from scorm_player.web.content import preview_url

bp = Blueprint("library", __name__, url_prefix="/courses")

UPLOAD_FIELD = "package"

View = str | Response | tuple[Any, int]


@bp.get("")
@login_required
def index() -> str:
    return render_template("library/index.html", courses=services().courses.list())


@bp.get("/upload")
@login_required
def upload_form() -> str:
    return _render_upload(None)


@bp.post("/upload")
@login_required
def upload() -> View:
    return _handle_upload(None)


@bp.get("/<course_id>/upload")
@login_required
def upload_version_form(course_id: str) -> str:
    return _render_upload(_course_or_404(course_id))


@bp.post("/<course_id>/upload")
@login_required
def upload_version(course_id: str) -> View:
    return _handle_upload(_course_or_404(course_id))


@bp.get("/<course_id>")
@login_required
def detail(course_id: str) -> str:
    course = _course_or_404(course_id)
    version = _version_or_404(course, request.args.get("version", type=int))
    package = version.package()
    return render_template(
        "library/detail.html",
        course=course,
        version=version,
        package=package,
        organization=package.organization,
        report=version.report(),
        just_imported=request.args.get("imported") == "1",
    )


@bp.post("/<course_id>/delete")
@login_required
def delete(course_id: str) -> Response:
    try:
        course = services().courses.delete(course_id)
    except CourseNotFound:
        abort(404)
    flash(f"Deleted “{course.title}” and all its versions.", "success")
    return redirect(url_for("library.index"))


@bp.get("/<course_id>/preview/<item_id>")
@login_required
def preview(course_id: str, item_id: str) -> str:
    course = _course_or_404(course_id)
    version = _version_or_404(course, request.args.get("version", type=int))
    package = version.package()
    organization = package.organization
    item = _find_item(organization.items if organization else [], item_id)
    if item is None or not item.launch_url:
        abort(404)
    return render_template(
        "library/preview.html",
        course=course,
        version=version,
        item=item,
        src=preview_url(version.course_id, version.number, item.launch_url),
    )


# --- Helpers --------------------------------------------------------------------------------


def _handle_upload(course: Course | None) -> View:
    upload = request.files.get(UPLOAD_FIELD)
    if upload is None or not upload.filename:
        return _upload_problem(course, "Choose a SCORM package (.zip) to upload.", 400)
    filename = PurePath(upload.filename.replace("\\", "/")).name[:255]
    try:
        outcome = services().courses.import_zip(
            upload.stream, course_id=course.id if course else None, filename=filename
        )
    except PackageRejected as rejected:
        if wants_json():
            html = render_template("library/_report.html", report=rejected.report, rejected=True)
            return jsonify(ok=False, report=rejected.report.to_dict(), html=html), 422
        return _render_upload(course, rejected_report=rejected.report, filename=filename), 422
    except CourseNotFound:
        abort(404)
    version = outcome.version
    target = url_for(
        "library.detail", course_id=version.course_id, version=version.number, imported=1
    )
    if wants_json():
        return jsonify(
            ok=True, course_id=version.course_id, version=version.number, redirect=target
        )
    return redirect(target)


def _upload_problem(course: Course | None, message: str, status: int) -> tuple[Any, int]:
    if wants_json():
        return jsonify(ok=False, message=message), status
    return _render_upload(course, problem=message), status


def _render_upload(course: Course | None, **context: Any) -> str:
    return render_template(
        "library/upload.html",
        course=course,
        field=UPLOAD_FIELD,
        max_bytes=services().settings.max_upload_bytes,
        **context,
    )


def _course_or_404(course_id: str) -> Course:
    try:
        return services().courses.get(course_id)
    except CourseNotFound:
        abort(404)


def _version_or_404(course: Course, number: int | None) -> CourseVersion:
    version = course.version(number) if number is not None else course.latest
    if version is None:
        abort(404)
    return version


def _find_item(items: list[Item], identifier: str) -> Item | None:
    for top in items:
        for item in top.walk():
            if item.identifier == identifier:
                return item
    return None
