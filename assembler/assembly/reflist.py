"""References to several places at once: "Sections 7.2 and 9.1 to 9.4, and Article 12".

``refs()``, ``surviving()`` and ``from_signature()`` in clause text produce a
list of targets; once the tree is numbered, :func:`ref_list_inlines` turns the
resolved references into inline nodes. Every number stays its own
:class:`~assembler.assembly.tree.Ref`, so the DOCX writer puts a ``REF`` field
around each one and the PDF links each one. The grouping rules live here,
in one place; a house reference style (``references`` in ``conventions.yaml``)
gives the words and their plurals:

- targets are listed once each, in document order;
- a run of three or more consecutive sections of one article reads
  "9.1 to 9.4" (two read "9.1 and 9.2");
- when every section of an article is listed, the article is cited instead;
- items of one kind share one prefix, plural when there are several, and
  read as a list of their own ("Sections 7.2 and 9.1", "Articles 12 and 13");
  when one of these lists has several items, a comma comes before the last
  one ("Sections 7.2 and 9.1, Article 12, and Schedule 2"); sections first, then
  articles, then paragraphs of schedules, which share their prefix and name
  their schedule once, as one phrase ("paragraphs 2, 4 to 6 and 9 of
  Schedule 3"), then schedules, which keep their names ("Schedule 2 (Milestone Payments)");
- a reference into another document names it once, after its last item
  ("Sections 7.2 and 9.1 of the Agreement").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .tree import Inline, Ref, Text

_PLURAL = {"Section ": "Sections ", "Article ": "Articles ", "paragraph ": "paragraphs "}


@dataclass(frozen=True, slots=True)
class Listed:
    """A resolved reference with what grouping needs to know about its target."""

    ref: Ref
    order: int
    """Position of the target in its document (document order)."""
    article: str = ""
    """For a section: the id of its article."""
    index: int = 0
    """For a section: its place in the article (1, 2 …)."""


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article of a numbered document: enough to cite it whole."""

    ref: Ref
    order: int
    sections: tuple[str, ...]
    """Ids of every clause section of the article."""


def default_plural(prefix: str) -> str:
    """"Sections " for "Section " (the built-in words)."""
    return _PLURAL.get(prefix, prefix)


def ref_list_inlines(
    items: list[Listed], articles: dict[tuple[str, str], ArticleInfo], word: str = "and", plural: Callable[[str], str] = default_plural
) -> tuple[Inline, ...]:
    """The inline nodes of a list of references (see the module's rules)."""
    unique: dict[tuple[str, str], Listed] = {}
    for item in items:
        unique.setdefault((item.ref.document, item.ref.target), item)
    listed = sorted(unique.values(), key=lambda i: (i.ref.document, i.order))
    listed = _whole_articles(listed, articles)
    units = _units(listed)
    groups = _groups(units)
    grouped = [_group_phrases(group, plural) for group in groups]
    # a group of several items ends with its own "and", so the last group
    # follows a comma: "Sections 2.1 and 3.4, Article 8, and Schedule 2"
    last_joint = f", {word} " if any(len(phrases) > 1 for phrases in grouped) else f" {word} "
    return tuple(_joined([_joined(phrases, f" {word} ") for phrases in grouped], last_joint))


def _joined(phrases: list[list[Inline]], last_joint: str) -> list[Inline]:
    """Phrases as one list: "a, b and c" (``last_joint`` is " and ")."""
    result: list[Inline] = []
    for index, phrase in enumerate(phrases):
        if index:
            result.append(Text(last_joint if index == len(phrases) - 1 else ", "))
        result.extend(phrase)
    return result


def _whole_articles(listed: list[Listed], articles: dict[tuple[str, str], ArticleInfo]) -> list[Listed]:
    """Sections that make up a whole article (two or more) become the article."""
    by_article: dict[tuple[str, str], set[str]] = {}
    for item in listed:
        if item.ref.kind == "section" and item.article:
            by_article.setdefault((item.ref.document, item.article), set()).add(item.ref.target)
    whole = {
        key
        for key, targets in by_article.items()
        if key in articles and len(articles[key].sections) >= 2 and set(articles[key].sections) <= targets
    }
    result: list[Listed] = []
    done: set[tuple[str, str]] = set()
    for item in listed:
        key = (item.ref.document, item.article)
        if item.ref.kind == "section" and key in whole:
            if key not in done:
                done.add(key)
                info = articles[key]
                result.append(Listed(replace(info.ref, suffix=item.ref.suffix, external=item.ref.external), info.order))
            continue
        result.append(item)
    return sorted(result, key=lambda i: (i.ref.document, i.order))


_RUNS = ("section", "schedule_section")
"""Kinds whose consecutive items read as a range ("9.1 to 9.4", "paragraphs 4 to 6 of Schedule 3")."""


@dataclass(frozen=True, slots=True)
class _Unit:
    """One item of the list: a single reference or a range of sections."""

    first: Ref
    last: Ref | None = None


def _units(listed: list[Listed]) -> list[_Unit]:
    units: list[_Unit] = []
    run: list[Listed] = []

    def flush() -> None:
        if len(run) >= 3:
            units.append(_Unit(run[0].ref, run[-1].ref))
        else:
            units.extend(_Unit(item.ref) for item in run)
        run.clear()

    for item in listed:
        if (
            run
            and item.ref.kind in _RUNS
            and item.article
            and item.article == run[-1].article
            and item.ref.document == run[-1].ref.document
            and item.index == run[-1].index + 1
        ):
            run.append(item)
            continue
        flush()
        if item.ref.kind in _RUNS and item.article:
            run.append(item)
        else:
            units.append(_Unit(item.ref))
    flush()
    return units


_KIND_ORDER = {"section": 0, "article": 1, "schedule_section": 2, "schedule": 3}


def _groups(units: list[_Unit]) -> list[list[_Unit]]:
    """Units of one kind and document together: sections, then articles, then
    schedules ("Sections 7.2 and 9.1 to 9.4, and Article 12")."""
    groups: dict[tuple[str, str, str], list[_Unit]] = {}
    for unit in units:
        # the paragraphs of one schedule form a group of their own
        schedule = unit.first.suffix if unit.first.kind == "schedule_section" else ""
        groups.setdefault((unit.first.document, unit.first.kind, schedule), []).append(unit)
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], _KIND_ORDER.get(k[1], 9)))]


def _group_phrases(group: list[_Unit], plural: Callable[[str], str] = default_plural) -> list[list[Inline]]:
    kind = group[0].first.kind
    suffix = group[0].first.suffix if group[0].first.external else ""
    phrases: list[list[Inline]] = []
    if kind == "schedule":
        # Schedules keep their names.
        for unit in group:
            phrase: list[Inline] = [_bare(unit.first, unit.first.prefix, unit.first.suffix)]
            if unit.last is not None:
                phrase += [Text(" to "), _bare(unit.last, "", unit.last.suffix)]
            phrases.append(phrase)
        return phrases
    count = sum(1 if unit.last is None else 2 for unit in group)
    prefix = group[0].first.prefix
    if count > 1:
        prefix = plural(prefix)
    # the paragraphs of a schedule name it once, in their last reference ("paragraphs 2 and 4 of Schedule 3")
    schedule = group[0].first.suffix if kind == "schedule_section" else ""
    for index, unit in enumerate(group):
        last_of_group = index == len(group) - 1
        end = schedule if last_of_group else ""
        phrase = [_bare(unit.first, prefix if index == 0 else "", end if unit.last is None else "")]
        if unit.last is not None:
            phrase += [Text(" to "), _bare(unit.last, "", end)]
        if last_of_group and suffix and not schedule:
            phrase.append(Text(suffix))
        phrases.append(phrase)
    if schedule and len(phrases) > 1:
        # one phrase, closed by the schedule's name: "paragraphs 2, 4 to 6 and 9 of Schedule 3"
        return [_joined(phrases, " and ")]
    return phrases


def _bare(ref: Ref, prefix: str, suffix: str) -> Ref:
    return replace(ref, prefix=prefix, suffix=suffix)


__all__ = ["ArticleInfo", "Listed", "ref_list_inlines"]
