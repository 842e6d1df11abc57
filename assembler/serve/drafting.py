"""The drafting page: interview, live preview, clause panel, save.

The browser's form is the draft: every change posts the whole form, which
becomes a deal file's text, is checked with the deal loader (the CLI's own
messages) and built; only the documents whose tree changed are sent back.
Save writes that text to the workspace if the file is still the version the
page started from.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assembler.assembly.lockfile import clause_nodes
from assembler.base.errors import DealdraftError, Problem
from assembler.library.deal_type_schema import DealTypeSpec
from assembler.review.explain import explain_clause
from assembler.writers.markdown import blocks_md

from .form import MAX_PARTIES, data_to_text, deal_data, form_to_data
from .interview import build_interview, party_fields, schema_of
from .preview import Draft, changed_by_document, changed_clauses, evaluate
from .services import Services, services
from .workspace import ConflictError, WorkspaceError

MAX_FIELDS = 5000


def input_id(name: str) -> str:
    """The HTML id of an input named after a deal-file field."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]", "-", name)


@dataclass(slots=True)
class Evaluated:
    deal_type: DealTypeSpec
    data: dict[str, Any]
    text: str
    draft: Draft
    unparsed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocView:
    id: str
    title: str
    token: str
    html: str | None


async def _form(request: Request) -> tuple[dict[str, str], list[str]]:
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    values = {k: v for k, v in form.multi_items() if k != "exclude" and isinstance(v, str)}
    return values, [v for v in form.getlist("exclude") if isinstance(v, str)]


def _deal_type(svc: Services, type_id: str) -> DealTypeSpec:
    sourced = svc.library.deal_types.get(type_id)
    if sourced is None:
        raise WorkspaceError(f"unknown deal type {type_id!r}")
    spec: DealTypeSpec = sourced.spec
    return spec


def evaluate_form(svc: Services, name: str, values: dict[str, str], exclude: list[str]) -> Evaluated:
    deal_type = _deal_type(svc, values.get("deal_type", ""))
    data, unparsed = form_to_data(values, exclude, svc.library, deal_type)
    text = data_to_text(data, svc.library, deal_type)
    draft = evaluate(text, svc.library, f"{name}.yaml")
    return Evaluated(deal_type, data, text, draft, unparsed)


def field_problems(problems: list[Problem], unparsed: dict[str, str], names: set[str]) -> list[tuple[str, str, str]]:
    """(input name, message, CLI line) for every problem; name "" when no input holds it."""
    found = [(key, message, f"{key}: {message}") for key, message in unparsed.items()]
    for problem in problems:
        target = ""
        path = problem.field
        if problem.clause and path.startswith(("include", "exclude")):
            path = f"include.{problem.clause}" if f"include.{problem.clause}" in names else f"positions.{problem.clause}"
        while path:
            if path in names:
                target = path
                break
            path = re.sub(r"(\[\d+\]|\.[^.\[]*)$", "", path) if re.search(r"(\[\d+\]|\.[^.\[]*)$", path) else ""
        found.append((target, problem.message, str(problem)))
    return found


def _documents(svc: Services, name: str, draft: Draft, base_sha: str, shown: dict[str, str], base_text: str | None = None) -> tuple[list[DocView], bool]:
    """The documents to show, rendering only those the browser does not have."""
    build = draft.build
    if build is None:
        return [], False
    saved = svc.saved_states(name, base_sha, base_text)
    changed = changed_by_document(build, changed_clauses(build, saved))
    views = []
    same_set = list(shown) == [d.id for d in build.documents]
    for document in build.documents:
        token, html = svc.preview.document(build, document, changed.get(document.id, frozenset()))
        views.append(DocView(document.id, document.title, token, None if same_set and shown.get(document.id) == token else html))
    return views, not same_set


_NORMALISED: dict[tuple[str, str], str | None] = {}


def _normalised(svc: Services, name: str, sha: str) -> str | None:
    """The saved version's text as the form would write it (for "unsaved changes")."""
    key = (name, sha)
    if key not in _NORMALISED:
        if len(_NORMALISED) > 256:
            _NORMALISED.clear()
        _NORMALISED[key] = _normalise(svc, name, sha)
    return _NORMALISED[key]


def _normalise(svc: Services, name: str, sha: str) -> str | None:
    version = svc.workspace.versions.by_sha(name, sha)
    if version is None:
        return None
    try:
        data = deal_data(version.text, f"{name}.yaml")
        return data_to_text(data, svc.library, _deal_type(svc, str(data.get("deal_type", ""))))
    except (DealdraftError, WorkspaceError):
        return version.text


def _status(svc: Services, name: str, base_sha: str, text: str | None) -> tuple[str, bool]:
    version = svc.workspace.versions.by_sha(name, base_sha)
    where = f"version {version.number}, {version.origin} {version.saved_at_text}" if version else "not saved"
    unsaved = text is not None and text != _normalised(svc, name, base_sha)
    return where, unsaved


def _update(svc: Services, request: Request, name: str, ev: Evaluated, values: dict[str, str], *, base_sha: str,
            extra: dict[str, Any] | None = None, status: int = 200) -> Response:
    shown = {k.removeprefix("shown."): v for k, v in values.items() if k.startswith("shown.")}
    docs, full = _documents(svc, name, ev.draft, base_sha, shown)
    where, unsaved = _status(svc, name, base_sha, ev.text)
    context: dict[str, Any] = dict(
        name=name, docs=docs, full=full, problems=field_problems(ev.draft.problems, ev.unparsed, set(values)),
        where=where, unsaved=unsaved, input_id=input_id, base_sha=base_sha, blanks=ev.draft.build.blanks if ev.draft.build else (),
    )
    context.update(extra or {})
    return svc.page("_update.html.j2", status, None, **context)


def deal_page(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    file = svc.workspace.read(name)
    try:
        data = deal_data(file.text, file.path.name)
        deal_type = _deal_type(svc, str(data.get("deal_type", "")))
    except DealdraftError as exc:
        return svc.page("broken.html.j2", name=name, problems=exc.problems, text=file.text, path=str(file.path))
    interview = build_interview(svc.library, deal_type, data)
    draft = evaluate(file.text, svc.library, file.path.name)
    docs, _full = _documents(svc, name, draft, file.sha256, {}, file.text)
    where, _unsaved = _status(svc, name, file.sha256, None)
    names = {f.name for f in interview.general} | {f.name for p in interview.parties for f in p} | {f.name for g in interview.terms for f in g.fields}
    return svc.page(
        "deal.html.j2", name=name, interview=interview, docs=docs, base_sha=file.sha256, where=where, unsaved=False,
        problems=field_problems(draft.problems, {}, names), input_id=input_id, path=str(file.path),
        blanks=draft.build.blanks if draft.build else (), full=False,
    )


async def preview(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    svc.workspace.path_of(name)
    values, exclude = await _form(request)
    ev = evaluate_form(svc, name, values, exclude)
    return _update(svc, request, name, ev, values, base_sha=values.get("base_sha", ""))


async def save(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    values, exclude = await _form(request)
    ev = evaluate_form(svc, name, values, exclude)
    base_sha = values.get("base_sha", "")
    if ev.unparsed or ev.draft.problems:
        count = len(ev.unparsed) + len(ev.draft.problems)
        return _update(svc, request, name, ev, values, base_sha=base_sha, status=422,
                       extra={"notice": f"Not saved: the deal has {count} problem(s); they are marked in the form."})
    try:
        version = svc.workspace.save(name, ev.text, base_sha)
    except ConflictError as exc:
        return _update(svc, request, name, ev, values, base_sha=base_sha, status=409, extra={"notice": str(exc), "conflict": True})
    svc.saved_states(name, version.sha256, version.text)
    return _update(svc, request, name, ev, values, base_sha=version.sha256, extra={"notice": f"Saved as version {version.number}.", "saved": True})


def _position_texts(svc: Services, ev: Evaluated, name: str, clause_id: str) -> dict[str, str]:
    """The clause as it reads in this deal under each of its positions."""
    clause = svc.library.clauses[clause_id]
    texts: dict[str, str] = {}
    for position in clause.spec.positions:
        data = copy.deepcopy(ev.data)
        data.setdefault("positions", {})[clause_id] = position
        draft = evaluate(data_to_text(data, svc.library, ev.deal_type), svc.library, f"{name}.yaml")
        if draft.build is None:
            continue
        for document in draft.build.documents:
            for node in clause_nodes(document):
                if node.clause_id == clause_id:
                    texts[position] = "\n".join(blocks_md(node.blocks)).strip()
    return texts


async def clause_panel(request: Request) -> Response:
    svc = services(request)
    name = request.path_params["name"]
    values, exclude = await _form(request)
    clause_id = values.pop("clause_id", "")
    clause = svc.library.clauses.get(clause_id)
    if clause is None:
        raise WorkspaceError(f"unknown clause {clause_id[:100]!r}", 404)
    chosen = values.pop("set_position", None)
    if chosen is not None:
        if chosen and chosen not in clause.spec.positions:
            raise WorkspaceError(f"clause {clause_id} has no position {chosen[:40]!r}")
        values[f"positions.{clause_id}"] = chosen
    ev = evaluate_form(svc, name, values, exclude)
    explanation = explain_clause(svc.library, clause_id, ev.draft.deal, ev.draft.build) if ev.draft.deal else None
    texts = _position_texts(svc, ev, name, clause_id) if explanation and explanation.included else {}
    extra = {
        "panel": True, "clause": clause.spec, "explanation": explanation, "texts": texts, "chosen": chosen,
        "override": values.get(f"positions.{clause_id}", ""),
    }
    return _update(svc, request, name, ev, values, base_sha=values.get("base_sha", ""), extra=extra)


async def parties(request: Request) -> Response:
    """Add or remove a party; the parties fieldset comes back."""
    svc = services(request)
    values, exclude = await _form(request)
    deal_type = _deal_type(svc, values.get("deal_type", ""))
    data, _unparsed = form_to_data(values, exclude, svc.library, deal_type)
    party_list = data["parties"]
    op = values.get("op", "")
    if op == "add" and len(party_list) < min(deal_type.parties.max, MAX_PARTIES):
        party_list.append({})
    elif op.startswith("remove-") and op[7:].isdigit() and len(party_list) > deal_type.parties.min:
        del party_list[int(op[7:])]
    schema = schema_of(svc.library, deal_type.id)
    fields = [party_fields(schema, deal_type, i, p) for i, p in enumerate(party_list)]
    return svc.page("_parties.html.j2", parties=fields, party_min=deal_type.parties.min, party_max=deal_type.parties.max,
                    name=request.path_params["name"], input_id=input_id, headers={"HX-Trigger-After-Settle": "refresh-preview"})


ROUTES = [
    Route("/deals/{name}", deal_page),
    Route("/deals/{name}/preview", preview, methods=["POST"]),
    Route("/deals/{name}/save", save, methods=["POST"]),
    Route("/deals/{name}/clause", clause_panel, methods=["POST"]),
    Route("/deals/{name}/parties", parties, methods=["POST"]),
]
