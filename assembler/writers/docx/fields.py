"""Complex fields (``w:fldChar``): REF, PAGE, NUMPAGES, TOC, PAGEREF.

A field is begin / instruction / separate / cached result / end. The cached
result is what every viewer shows until the field is updated, so it is always
the value the tree computed.
"""

from __future__ import annotations

from lxml import etree

from .xml import XML_NS, add_rpr, el, run


def _char(kind: str, style: str, props: tuple[str, ...]) -> etree._Element:
    node = el("r")
    add_rpr(node, style, props)
    el("fldChar", node, fldCharType=kind)
    return node


def field_begin(instruction: str, style: str = "", props: tuple[str, ...] = ()) -> list[etree._Element]:
    """The runs that open a field up to its ``separate`` mark."""
    instr_run = el("r")
    add_rpr(instr_run, style, props)
    instr = el("instrText", instr_run)
    instr.text = f" {instruction} "
    instr.set(f"{{{XML_NS}}}space", "preserve")
    return [_char("begin", style, props), instr_run, _char("separate", style, props)]


def field_end(style: str = "", props: tuple[str, ...] = ()) -> etree._Element:
    return _char("end", style, props)


def field(instruction: str, cached: str, style: str = "", props: tuple[str, ...] = ()) -> list[etree._Element]:
    """A whole field whose cached result is the text ``cached``."""
    return [
        *field_begin(instruction, style, props),
        run(cached, style, props),
        field_end(style, props),
    ]


def ref_field(bookmark: str, number: str, style: str = "", props: tuple[str, ...] = ()) -> list[etree._Element]:
    """A cross-reference to the paragraph number at ``bookmark``.

    ``\\n`` (number without context, trailing period dropped) gives exactly the
    tree's number for "7", "7.2", "Schedule 2" and a schedule paragraph "3"
    in both Word and LibreOffice; ``\\r`` and ``\\w`` prefix a schedule
    paragraph with its schedule in LibreOffice ("Schedule 23").
    """
    return field(f"REF {bookmark} \\n \\h", number, style, props)
