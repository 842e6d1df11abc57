"""Safe YAML loading that keeps line numbers and refuses what YAML allows
silently: duplicate keys, aliases (and so alias bombs), oversized files.

Mappings load as :class:`LineDict`, which remembers the line of each key, so
validation errors can name ``file:line``.
"""

from __future__ import annotations

import math
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from assembler.base.errors import InputError, Problem

try:  # libyaml's C loader is ~15x faster than the pure-Python one
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
_SAFE_INDICATORS = 5_000
"""Every level of nesting needs one of ``[ { - : ?``; with fewer of them
than this, libyaml's recursive composer (fine at 10,000 levels, a crash at
100,000) cannot be pushed far, so the event-stream depth check is skipped
and the composed tree's check (MAX_DEPTH) suffices."""


class LineList(list[Any]):
    """A list that knows the 1-based line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class LineDict(dict[str, Any]):
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise yaml.constructor.ConstructorError(
                None, None, "merge keys (<<) are not supported", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or isinstance(key, float) and math.isnan(key):
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain scalars", key_node.start_mark
            )
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {result.key_lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"invalid date {node.value!r} ({exc})", node.start_mark
        ) from None


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _check_graph(node: yaml.Node, path: str) -> None:
    """Refuse aliases and over-deep nesting before anything is constructed."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            raise InputError(
                [Problem("YAML aliases (*name) are not supported", path, current.start_mark.line + 1)]
            )
        seen.add(id(current))
        if depth > MAX_DEPTH:
            raise InputError(
                [Problem(f"nesting deeper than {MAX_DEPTH} levels", path, current.start_mark.line + 1)]
            )
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                stack.append((key_node, depth + 1))
                stack.append((value_node, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)


def _check_depth(text: str, path: str) -> None:
    """Refuse over-deep nesting from the event stream, before libyaml's
    recursive composer could overflow the C stack on it."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise InputError([Problem(f"nesting deeper than {MAX_DEPTH} levels", path, line)])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def loads(text: str, path: str) -> Any:
    """Parse one YAML document from ``text``; ``path`` names it in errors."""
    loader = _Loader(text)
    try:
        if sum(text.count(char) for char in "[{-:?") > _SAFE_INDICATORS:
            _check_depth(text, path)
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, path)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = exc.problem or str(exc)
        if "maximum nesting depth" in message:
            # libyaml (0.2.5 and later) stops at 1,000 levels of its own, before
            # our event-stream check may have seen level 65: same finding.
            raise InputError([Problem(f"nesting deeper than {MAX_DEPTH} levels", path, line)]) from None
        if exc.context and exc.problem:
            message = f"{exc.context}, {exc.problem}"
        raise InputError([Problem(f"invalid YAML: {message}", path, line)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError([Problem(f"invalid YAML: character U+{ord(char):04X} is not allowed", path, line)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem("invalid YAML: " + " ".join(str(exc).split()), path)]) from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        if "digits" in str(exc):
            found = re.search(r"\d{4000,}", text)
            line = text.count("\n", 0, found.start()) + 1 if found else None
            raise InputError([Problem("invalid YAML value: a number too large to read", path, line)]) from None
        raise InputError([Problem("invalid YAML value: " + " ".join(str(exc).split())[:200], path)]) from None
    except RecursionError:
        raise InputError([Problem("invalid YAML: nesting too deep", path)]) from None
    finally:
        loader.dispose()


def read_text(path: Path, display: str | None = None, limit: int = MAX_YAML_BYTES) -> str:
    """Read a UTF-8 text file, refusing files over ``limit`` bytes."""
    name = display or str(path)
    try:
        raw = read_limited(path, name, limit)
    except IsADirectoryError:
        raise InputError([Problem("is a directory, not a file", name)]) from None
    except FileNotFoundError:
        raise InputError([Problem("no such file", name)]) from None
    except OSError as exc:
        raise InputError([Problem(f"cannot read: {exc.strerror or exc}", name)]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(f"not UTF-8 text (byte {exc.start})", name)]) from None


def read_limited(path: Path, name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Devices, pipes and sockets are refused (``/dev/zero`` never ends), and no
    more than ``limit + 1`` bytes are ever read, whatever ``stat`` claims.
    """
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError([Problem("not a regular file (a device, pipe or socket)", name)])
    if info.st_size > limit:
        raise InputError([Problem(f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes", name)])
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError([Problem(f"file is larger than the limit of {limit:,} bytes", name)])
    return data


def load_file(path: Path, display: str | None = None) -> Any:
    """Read and parse a YAML file safely."""
    name = display or str(path)
    return loads(read_text(path, name), name)


def plain(value: Any) -> Any:
    """Loaded YAML as plain dicts and lists (for dumping it again)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
