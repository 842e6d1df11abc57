"""The assembly stage end to end: a deal and a library → a numbered ``Build``.

Compiled clause templates are kept per library content between builds, so
a process that builds many deals (batch, lint, a server) compiles each
template once.
"""

from __future__ import annotations

from pathlib import Path

from assembler.deal.load import Deal, load_deal
from assembler.library.model import Library

from .assemble import assemble
from .deal_outline import with_deal_outline
from .options import BuildOptions
from .plan import Plan, make_plan
from .render import Renderer
from .tree import Build

_RENDERERS: dict[str, Renderer] = {}


def renderer_for(library: Library) -> Renderer:
    """The renderer (and its compiled templates) of a library's content."""
    # Compiling costs ~50x rendering. Keyed by the fingerprint of every
    # library file, never by the object's id, which Python reuses once a
    # library is freed.
    renderer = _RENDERERS.get(library.fingerprint)
    if renderer is None:
        if len(_RENDERERS) >= 4:
            _RENDERERS.pop(next(iter(_RENDERERS)))
        renderer = _RENDERERS[library.fingerprint] = Renderer()
    return renderer


def plan_deal(deal: Deal, library: Library) -> Plan:
    """The plan of a deal: clauses, positions, decisions and values."""
    deal, library = with_deal_outline(deal, library)
    return make_plan(deal, library, renderer_for(library))


def build_deal(deal: Deal | Path | str, library: Library, *, options: BuildOptions | None = None) -> Build:
    """The finished document tree of a deal (no files written)."""
    if not isinstance(deal, Deal):
        deal = load_deal(Path(deal), library)
    deal, library = with_deal_outline(deal, library)
    return assemble(make_plan(deal, library, renderer_for(library)), library, renderer_for(library), options or BuildOptions())
