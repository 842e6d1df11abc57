"""What the emitters share while one document is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assembler.assembly.tree import DealInfo, Document

from .bookmarks import Anchors, Ids
from .comments import Comments
from .numbering import Lists


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

    def style(self, our_id: str) -> str:
        """The id in the output of our style ``our_id``."""
        return self.styles.get(our_id, our_id)
