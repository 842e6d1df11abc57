"""dealdraft: assemble pharma–partner deal documents from a clause library.

The stages, each a plain function over plain data::

    load_library → load_deal → make_plan → assemble → write_markdown / write_docx / write_pdf

``build`` runs them all and writes an output directory atomically.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import BuildResult, build, build_deal, load_deal, load_library  # noqa: E402
from .errors import DealdraftError  # noqa: E402

__all__ = ["BuildResult", "DealdraftError", "__version__", "build", "build_deal", "load_deal", "load_library"]
