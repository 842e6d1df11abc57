"""dealdraft: assemble pharma–partner deal documents from a clause library.

The stages, each a plain function over plain data::

    load_library → load_deal → make_plan → assemble → write_markdown / write_docx / write_pdf

``build`` runs them all and writes an output directory atomically. The public
names are imported on first use, so that commands which do not build (the
CLI's help and version, shell completion) start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assembler.base.version import __version__

if TYPE_CHECKING:
    from assembler.api import BuildResult, build, build_deal, load_deal, load_library
    from assembler.base.errors import DealdraftError

_API = {"BuildResult", "build", "build_deal", "load_deal", "load_library"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from . import api

        return getattr(api, name)
    if name == "DealdraftError":
        from assembler.base.errors import DealdraftError

        return DealdraftError
    raise AttributeError(f"module 'assembler' has no attribute {name!r}")


__all__ = ["BuildResult", "DealdraftError", "__version__", "build", "build_deal", "load_deal", "load_library"]
