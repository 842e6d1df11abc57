"""The deals page: the workspace's deals; new, duplicate, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assembler.base.errors import DealdraftError, Problem
from assembler.deal.scaffold import new_deal_text

from .form import deal_data
from .interview import schema_of
from .services import services
from .workspace import WorkspaceError


@dataclass(frozen=True, slots=True)
class DealRow:
    name: str
    deal_type: str
    parties: str
    stance: str
    changed: str
    version: int
    problem: str = ""


def _row(svc: Any, name: str) -> DealRow:
    try:
        file = svc.workspace.read(name)
    except WorkspaceError as exc:
        return DealRow(name, "", "", "", "", 0, str(exc))
    latest = svc.workspace.versions.latest(name)
    changed = latest.saved_at_text if latest else ""
    number = latest.number if latest else 0
    try:
        data = deal_data(file.text, file.path.name)
    except DealdraftError as exc:
        return DealRow(name, "", "", "", changed, number, str(exc.problems[0]))
    type_id = str(data.get("deal_type", ""))
    sourced = svc.library.deal_types.get(type_id)
    parties = data.get("parties")
    parties = parties if isinstance(parties, list) else []
    names = ", ".join(f"{p.get('short_name') or p.get('legal_name', '')} ({p.get('role', '')})" for p in parties if isinstance(p, dict))
    return DealRow(name, sourced.spec.name if sourced else type_id, names, str(data.get("stance", "balanced")), changed, number)


def deals_page(request: Request) -> Response:
    svc = services(request)
    rows = [_row(svc, name) for name in svc.workspace.names()]
    types = sorted((spec.spec.name, type_id) for type_id, spec in svc.library.deal_types.items())
    stances = schema_of(svc.library, types[0][1])["properties"]["stance"]["enum"] if types else []
    return svc.page("deals.html.j2", rows=rows, deal_types=types, stances=stances, workspace=str(svc.workspace.root))


async def new_deal(request: Request) -> Response:
    svc = services(request)
    form = await request.form()
    type_id = str(form.get("deal_type", ""))
    name = str(form.get("name", "")).strip()
    stance = str(form.get("stance", "balanced"))
    sourced = svc.library.deal_types.get(type_id)
    if sourced is None:
        raise WorkspaceError(f"unknown deal type {type_id!r}")
    text = new_deal_text(svc.library, sourced.spec, stance)
    svc.workspace.create(name, text)
    return Response(status_code=204, headers={"HX-Redirect": f"/deals/{name}"})


async def duplicate_deal(request: Request) -> Response:
    svc = services(request)
    form = await request.form()
    new_name = str(form.get("new_name", "")).strip()
    svc.workspace.duplicate(request.path_params["name"], new_name)
    return Response(status_code=204, headers={"HX-Redirect": f"/deals/{new_name}"})


async def delete_deal(request: Request) -> Response:
    svc = services(request)
    target = svc.workspace.delete(request.path_params["name"])
    return svc.page("_message.html.j2", problems=[Problem(f"moved to {target.relative_to(svc.workspace.root)}")], kind="ok",
                    headers={"HX-Redirect": "/"})


ROUTES = [
    Route("/", deals_page),
    Route("/deals", new_deal, methods=["POST"]),
    Route("/deals/{name}/duplicate", duplicate_deal, methods=["POST"]),
    Route("/deals/{name}/delete", delete_deal, methods=["POST"]),
]
