"""Document properties: core (title, subject, keywords), app, custom (the lock).

Every date comes from the deal, never from the clock. An external copy
carries the lock's hash and its provenance (clause ids, versions and text
hashes): no lock, no stance, no positions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.packuri import PackURI
from docx.opc.part import Part

from assembler.assembly.lockfile import external_provenance, lock_bytes, lock_sha256
from assembler.assembly.tree import Build, Document

from .xml import checked

CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
APP_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
THUMBNAIL_RT = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>dealdraft</Application><DocSecurity>0</DocSecurity></Properties>"
)


def deal_datetime(date: str) -> dt.datetime:
    """Midnight UTC of the deal's ISO date (1980-01-01 if it has none)."""
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        day = dt.date(1980, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def custom_properties(build: Build, document: Document) -> dict[str, str]:
    deal = build.deal
    props = {
        "dealdraft.document": document.id,
        "dealdraft.deal_type": deal.deal_type,
        "dealdraft.draft_version": deal.draft_version,
        "dealdraft.lock_sha256": lock_sha256(build.lock),
    }
    if not deal.external:
        props["dealdraft.stance"] = deal.stance
        props["dealdraft.lock"] = lock_bytes(build.lock).decode("utf-8")
    elif build.lock:
        props["dealdraft.provenance"] = lock_bytes(external_provenance(build.lock)).decode("utf-8")
    return props


def custom_xml(props: dict[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(checked(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(props.items()), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()


def _replace_package_part(package: Any, reltype: str, partname: str, content_type: str, blob: bytes) -> None:
    for rel in list(package.rels.values()):
        if rel.reltype == reltype:
            package.rels.pop(rel.rId)
    package.relate_to(Part(PackURI(partname), content_type, blob, package), reltype)


def set_properties(docx_document: Any, build: Build, document: Document) -> None:
    deal = build.deal
    core = docx_document.core_properties
    for child in list(core._element):
        core._element.remove(child)
    when = deal_datetime(deal.date)
    core.title = checked(document.title)
    core.subject = checked(deal.deal_type_name)
    core.keywords = checked("; ".join([deal.deal_type_name, *(p.legal_name for p in deal.parties)]))
    core.author = "dealdraft"
    core.last_modified_by = "dealdraft"
    core.created = when
    core.modified = when
    core.revision = 1
    core.content_status = "Final" if deal.final else "Draft"
    if deal.draft_version:
        core.version = checked(deal.draft_version)
    package = docx_document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == THUMBNAIL_RT:  # a picture of the template, not of this draft
            package.rels.pop(rel.rId)
    _replace_package_part(package, APP_RT, "/docProps/app.xml", APP_CT, APP_XML.encode("utf-8"))
    _replace_package_part(
        package, CUSTOM_RT, "/docProps/custom.xml", CUSTOM_CT, custom_xml(custom_properties(build, document))
    )
