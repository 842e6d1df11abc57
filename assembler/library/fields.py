"""The basic field types every library and deal-file model shares: names and
ids, one-line and multi-line text that XML can hold, dates, and the strict
base model (unknown keys forbidden, values never coerced)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

CLAUSE_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
NAME = r"^[a-z][a-z0-9_]*$"
DOC_ID = r"^[a-z][a-z0-9-]*$"
SEMVER = r"^\d+\.\d+\.\d+$"

# Characters dealdraft uses internally to mark helpers in rendered text; never
# allowed in any input.
_PRIVATE_MARKS = re.compile("[\ue000-\ue00f]")


_BAD_ANYWHERE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ue000-\ue00f]")
_BAD_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ue000-\ue00f]")


def check_text(value: str, *, multiline: bool = True) -> str:
    """Refuse characters that XML cannot hold and our internal markers."""
    found = (_BAD_ANYWHERE if multiline else _BAD_ONE_LINE).search(value)
    if found is None:
        return value
    char, index = found.group(), found.start()
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        raise ValueError(f"contains a lone surrogate (U+{code:04X}) at character {index + 1}")
    if 0xE000 <= code <= 0xE00F:
        raise ValueError("contains reserved characters (U+E000–U+E00F)")
    raise ValueError(f"contains control character U+{code:04X} at character {index + 1}")


def one_line(value: str) -> str:
    check_text(value, multiline=False)
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _parse_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid date (YYYY-MM-DD)") from None
    return value


Line = Annotated[str, AfterValidator(one_line)]
Name = Annotated[str, AfterValidator(one_line), Field(max_length=300)]
"""A name, title or marking: one line of at most 300 characters."""
Address = Annotated[str, AfterValidator(one_line), Field(max_length=1000)]
Text = Annotated[str, AfterValidator(check_text)]
ClauseId = Annotated[str, Field(pattern=CLAUSE_ID)]
Concept = Annotated[str, Field(pattern=NAME)]
Date = Annotated[dt.date, BeforeValidator(_parse_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True, use_attribute_docstrings=True)
