"""What the emitters share while one document is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from assembler.assembly.tree import DealInfo, Document
from assembler.writers.house.model import HouseStyle, default_house_style

from .bookmarks import Anchors, Ids
from .comments import Comments
from .numbering import Lists
from .styles import style_by_id
from .xml import qn


@dataclass
class Context:
    """State of one document being written.

    ``styles`` maps our style ids (those of ``templates/reference.docx``) to the
    ids the same styles have in the template actually used.
    """

    deal: DealInfo
    document: Document
    styles: dict[str, str]
    lists: Lists
    anchors: Anchors
    comments: Comments | None = None
    text_width: int = 9026
    ids: Ids = field(default_factory=Ids)
    part: Any = None
    """The document's package part (relationships of hyperlinks, styles)."""
    styles_part: Any = None
    """The document part, while footnote text is written into the footnotes part."""
    footnotes: Any = None
    """The footnotes collected so far (a ``footnotes.Footnotes``)."""
    list_family: str = ""
    """Abstract list for ordered sub-lists instead of the styles' own ("" = the
    outline); the preamble uses its own so the article numbers stay right."""
    house: HouseStyle = field(default_factory=default_house_style)
    """The house style (table fonts, cover and execution design)."""
    toc_pages: dict[str, int] | None = None
    """Page of each heading (by the tree's bookmark) in the PDF of the same build."""
    style_root: etree._Element | None = None

    def style(self, our_id: str) -> str:
        """The id in the output of our style ``our_id``."""
        return self.styles.get(our_id, our_id)

    def right_tabs(self, par: etree._Element) -> tuple[int, ...]:
        """Positions of the right tabs the paragraph's style (and its
        ancestors) set, so a direct tab can clear them."""
        ppr_style = par.find(f"{qn('pPr')}/{qn('pStyle')}")
        style_id = ppr_style.get(qn("val")) if ppr_style is not None else ""
        found: list[int] = []
        seen: set[str] = set()
        while self.style_root is not None and style_id and style_id not in seen:
            seen.add(style_id)
            style = style_by_id(self.style_root, style_id)
            if style is None:
                break
            for tab in style.iterfind(f"{qn('pPr')}/{qn('tabs')}/{qn('tab')}"):
                if tab.get(qn("val")) == "right":
                    try:
                        found.append(int(tab.get(qn("pos")) or 0))
                    except ValueError:
                        pass
            based = style.find(qn("basedOn"))
            style_id = based.get(qn("val")) if based is not None else ""
        return tuple(found)
