"""Versions, diffs, redlines and downloads of a deal.

Downloads build the deal file as saved, the way ``dealdraft build`` does,
in the build pool; "all" also keeps the set in the workspace's
``builds/<deal>/`` folder.
"""

from __future__ import annotations

import io
import re
import zipfile

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assembler.assembly.lockfile import LOCK_FILENAME
from assembler.base.errors import DealdraftError, Problem
from assembler.base.output import write_output_set
from assembler.review.diff import Side, diff_sides
from assembler.review.diff_render import summary_line

from .pool import build_files, build_redline
from .preview import evaluate
from .services import Services, services
from .versions import Version
from .workspace import WorkspaceError

VARIANTS = {"draft": (False, False), "external": (False, True), "final": (True, False)}
_FILE = re.compile(r"([a-z0-9][a-z0-9_-]{0,80})\.(docx|pdf|md|html)")
_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
    "json": "application/json", "zip": "application/zip",
}


def _version(request: Request, key: str) -> Version:
    """The version named by a query parameter (``?old=1&new=2``)."""
    name = request.path_params["name"]
    text = request.query_params.get(key, "")
    if not text.isdigit() or len(text) > 9:
        raise WorkspaceError(f"{key}: a version number is needed")
    try:
        return services(request).workspace.versions.get(name, int(text))
    except KeyError:
        raise WorkspaceError(f"{name} has no version {text}", 404) from None


def versions_page(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    svc.workspace.read(name)
    versions = svc.workspace.versions.all(name)
    return svc.page("versions.html.j2", name=name, versions=list(reversed(versions)))


def diff_page(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    svc.workspace.path_of(name)
    old_v, new_v = _version(request, "old"), _version(request, "new")
    sides = []
    for version in (old_v, new_v):
        draft = evaluate(version.text, svc.library, f"{name}.yaml")
        if draft.build is None:
            return svc.page("error.html.j2", 422, message=f"Version {version.number} does not build: " + "; ".join(str(p) for p in draft.problems[:5]))
        sides.append(Side(f"version {version.number}", draft.build.lock, draft.build))
    diff = diff_sides(sides[0], sides[1], svc.library)
    documents = [d.id for d in sides[1].build.documents] if sides[1].build else []
    return svc.page("diff.html.j2", name=name, old=old_v, new=new_v, diff=diff, summary=summary_line(diff), documents=documents)


def _document_ids(svc: Services) -> set[str]:
    return {svc.library.document_spec(d).id for t in svc.library.deal_types.values() for d in t.spec.documents}


async def redline(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    svc.workspace.path_of(name)
    document = request.path_params["document"]
    if document not in _document_ids(svc):
        raise WorkspaceError(f"no document {document[:80]!r}", 404)
    old_v, new_v = _version(request, "old"), _version(request, "new")
    try:
        data = await svc.build_pool().run(build_redline, old_v.text, new_v.text, f"{name}.yaml", document, "dealdraft")
    except DealdraftError as exc:
        return svc.page("error.html.j2", 422, message="; ".join(str(p) for p in exc.problems[:5]))
    filename = f"{name}-v{old_v.number}-v{new_v.number}-{document}.redline.docx"
    return Response(data, media_type=_TYPES["docx"], headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def download(request: Request) -> Response:
    """One file of the saved deal's build, the lock, or every file as a zip."""
    svc = services(request)
    name = request.path_params["name"]
    wanted = request.path_params["file"]
    variant = request.query_params.get("variant", "draft")
    if variant not in VARIANTS:
        raise WorkspaceError(f"unknown variant {variant[:40]!r} (draft, external, final)")
    final, external = VARIANTS[variant]
    file = svc.workspace.read(name)
    match = _FILE.fullmatch(wanted)
    if wanted == "all.zip":
        formats: tuple[str, ...] = ("md", "docx", "pdf")
    elif wanted == LOCK_FILENAME:
        formats = ("md",)
    elif match:
        formats = (match.group(2),)
    else:
        raise WorkspaceError(f"no such download: {wanted[:100]!r}", 404)
    try:
        files = await svc.build_pool().run(build_files, str(file.path), formats, final, external)
    except DealdraftError as exc:
        return svc.page("error.html.j2", 422, message="The deal does not build: " + "; ".join(str(p) for p in exc.problems[:8]))
    suffix = "" if variant == "draft" else f"-{variant}"
    if wanted == "all.zip":
        write_output_set(svc.workspace.builds_folder(name, variant), files, force=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename, data in sorted(files.items()):
                info = zipfile.ZipInfo(f"{name}{suffix}/{filename}", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        body, filename, kind = buffer.getvalue(), f"{name}{suffix}.zip", "zip"
    else:
        if wanted not in files:
            raise WorkspaceError(f"this deal has no {wanted[:100]!r} (documents: {', '.join(sorted(files))})", 404)
        body, filename, kind = files[wanted], f"{name}{suffix}-{wanted}", wanted.rsplit(".", 1)[1]
    return Response(body, media_type=_TYPES[kind], headers={"Content-Disposition": f'attachment; filename="{filename}"'})


ROUTES = [
    Route("/deals/{name}/versions", versions_page),
    Route("/deals/{name}/diff", diff_page),
    Route("/deals/{name}/redline/{document}.docx", redline),
    Route("/deals/{name}/download/{file}", download),
]

__all__ = ["ROUTES", "Problem"]
