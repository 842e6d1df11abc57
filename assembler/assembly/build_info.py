"""Deal-level facts of a build: the summary writers show on the cover page
and in properties, and the business terms still left blank."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assembler.assembly import formatting
from assembler.library.conventions import DateStyle

from .options import BuildOptions
from .tree import Blank, DealInfo, PartyInfo

if TYPE_CHECKING:
    from .plan import Plan


SIGNING_LEAD_IN = "Signed by the authorised representatives of the Parties on the dates set out below."
"""The execution lead-in of a deal type that names none."""


def deal_info(plan: Plan, options: BuildOptions, dates: DateStyle | None = None) -> DealInfo:
    """What every writer may show about the deal: parties, date, marking.
    ``dates`` is the house's date style (the built-in one by default)."""
    deal = plan.deal.spec
    chosen = deal.date or deal.effective_date
    if chosen is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        chosen_iso = (
            dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat() if epoch.isdigit() else "1980-01-01"
        )
        text = "[●]"
    else:
        chosen_iso, text = chosen.isoformat(), formatting.date_text(chosen, dates)
    details = plan.deal.deal_type.parties.details
    parties = tuple(
        PartyInfo(
            p.role, p.legal_name, p.short_name, p.entity_type, p.address, p.signatory_name or "", p.signatory_title or "",
            details[p.role].label or "" if p.role in details else "",
        )
        for p in deal.parties
    )
    return DealInfo(
        deal_type=plan.deal.deal_type.id,
        deal_type_name=plan.deal.deal_type.name,
        stance="" if options.external else deal.stance,
        parties=parties,
        date=chosen_iso,
        date_text=text,
        governing_law=str(deal.governing_law),  # an id, or the law as written out (see deal/load.py)
        draft_version=deal.draft_version,
        confidentiality_marking="" if options.final else deal.marking,
        final=options.final,
        external=options.external,
        signing_lead_in=" ".join((plan.deal.deal_type.signing_lead_in or SIGNING_LEAD_IN).split()),
    )


def collect_blanks(documents: Sequence[object]) -> tuple[str, ...]:
    """The variables shown as a blank ``[●]`` anywhere in the nodes, in order."""
    found: dict[str, None] = {}

    def walk(node: Any) -> None:
        if isinstance(node, Blank):
            found.setdefault(node.variable, None)
        elif isinstance(node, tuple):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                walk(getattr(node, name))

    walk(tuple(documents))
    return tuple(found)
