"""Read a copy of a draft (a DOCX or a PDF, ours or returned) and map it onto
a build of its deal: which document it is and what it changed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from assembler.assembly.tree import Build
from assembler.base.errors import InputError, Problem

from .docx_read import Para, custom_properties, read_paragraphs
from .returned import Mapping, map_document
from .units import our_document

MAX_INPUT_BYTES = 100 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing files over the size limit."""
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError([Problem(f"file is larger than {MAX_INPUT_BYTES // 1024**2} MB", str(path))])
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem("no such file", str(path))]) from None
    except IsADirectoryError:
        raise InputError([Problem("is a folder, not a DOCX or PDF file", str(path))]) from None
    except OSError as exc:
        raise InputError([Problem(f"cannot read ({exc.strerror})", str(path))]) from None


def open_docx(data: bytes, path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError([Problem("not a DOCX file (not a zip archive)", str(path))]) from None


def which_document(build: Build, props: dict[str, str], paras: list[Para]) -> str:
    """The document of the build this copy is: the one its properties name,
    else the one most of whose headings it holds."""
    named = props.get("dealdraft.document")
    ids = [d.id for d in build.documents]
    if named in ids:
        return str(named)
    bookmarks = {name for p in paras for name in p.bookmarks}
    titles = {p.text.strip() for p in paras if p.heading}

    def hits(doc_id: str) -> int:
        units = our_document(build.document(doc_id)).units
        return sum(u.bookmark in bookmarks for u in units) + sum(u.title in titles for u in units)

    return max(ids, key=hits)


def read_docx(path: Path, build: Build, data: bytes | None = None) -> tuple[list[Para], str]:
    """The paragraphs of a DOCX copy, and which document of the build it is."""
    data = read_bytes(path) if data is None else data
    if data.startswith(b"%PDF"):
        raise InputError([Problem("this needs the DOCX that came back from the other side, not a PDF", str(path))])
    archive = open_docx(data, path)
    paras = read_paragraphs(archive, str(path))
    return paras, which_document(build, custom_properties(archive), paras)


def map_docx(path: Path, build: Build, data: bytes | None = None) -> Mapping:
    """What a DOCX copy changed against the build of its deal."""
    paras, document = read_docx(path, build, data)
    return map_document(paras, our_document(build.document(document)), str(path))
