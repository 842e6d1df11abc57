"""Helpers that know the whole build, for clause text.

``surviving()`` and ``from_signature()`` list, as references, the other
clauses of the calling clause's document that survive the Term or bind from
signature (read from the library's ``survives`` and ``starts``), and
``provided('concept')`` says whether the deal has a concept (see
``concepts.py``). They need the plan, so ``assemble.py`` binds them to one
build and tells them which clause is being rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import TemplateError

from assembler.library.schema import ClauseSpec

from .plan import Plan
from .render import ref_list
from .sandbox import Safe

BUILD_HELPERS = ("surviving", "from_signature", "provided")
"""The names clause text calls them by."""


class BuildHelpers:
    """The build-aware helpers of one plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.current = ""
        """The clause being rendered: the lists name the others."""
        self._document_of = {p.id: doc.spec.id for doc in plan.documents for p in doc.clauses()}

    def functions(self) -> dict[str, Callable[..., Any]]:
        return {"surviving": self.surviving, "from_signature": self.from_signature, "provided": self.provided}

    def _listed(self, helper: str, wanted: Callable[[ClauseSpec], bool]) -> Safe:
        doc_id = self._document_of.get(self.current, "")
        ids = [
            planned.id
            for doc in self.plan.documents
            if doc.spec.id == doc_id
            for planned in doc.clauses()
            if planned.id != self.current and wanted(planned.clause.spec)
        ]
        if not ids:
            raise TemplateError(f"{helper}(): no other clause of this document qualifies, so the list would be empty")
        return ref_list(ids)

    def surviving(self) -> Safe:
        """The other clauses of this document whose obligations survive the Term."""
        return self._listed("surviving", lambda spec: spec.survives)

    def from_signature(self) -> Safe:
        """The other clauses of this document that bind from signature."""
        return self._listed("from_signature", lambda spec: spec.starts == "signature")

    def provided(self, concept: Any) -> bool:
        """Whether the deal type or an included clause provides a concept."""
        if not isinstance(concept, str):
            raise TemplateError(f"provided() needs a concept name, not {concept!r}")
        return concept in self.plan.concepts


__all__ = ["BUILD_HELPERS", "BuildHelpers"]
