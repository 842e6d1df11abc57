"""Where the built-in clause library and templates live.

In the repository they are the top-level ``clauses/`` and ``templates/``
folders; a wheel carries them inside the package as ``assembler/_library/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the assembler package


@cache
def _data_root() -> Path:
    shipped = _PACKAGE / "_library"
    if (shipped / "clauses").is_dir():
        return shipped
    return _PACKAGE.parent


def clauses_dir() -> Path:
    """The built-in clause library folder."""
    return _data_root() / "clauses"


def templates_dir() -> Path:
    """The folder of HTML/CSS templates and the reference DOCX."""
    return _data_root() / "templates"
