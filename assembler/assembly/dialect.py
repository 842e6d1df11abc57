"""What clause text may use, checked on the source before any deal fills it in.

The clause dialect is paragraphs, emphasis, lettered and bulleted lists, pipe
tables, links to web pages and email addresses, and footnotes. Anything else
Markdown knows would be dropped, shown as literal text or read differently
from what its author meant; ``lint`` reports each such construct, naming it
(see :func:`dialect_problems`). The text is parsed with every Markdown rule
on, so that nothing outside the dialect goes unseen.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .markdown import LINK_SCHEMES

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_LOOSE_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")

_BLOCKS = {
    "heading_open": "a heading (#): headings come from clause titles; split the text into clauses",
    "lheading_open": "a heading (a line underlined with = or -): headings come from clause titles",
    "blockquote_open": "a block quote (>)",
    "hr": "a horizontal rule (---, *** or ___)",
    "code_block": "a code block (a line indented by four or more spaces)",
    "fence": "a fenced code block (```)",
    "html_block": "raw HTML, which is shown as text",
}
_INLINES = {
    "html_inline": "raw HTML ({content}), which is shown as text",
    "image": "an image (![…](…)), which is shown as text",
    "code_inline": "code (`{content}`): the backticks would be dropped",
    "hardbreak": "a forced line break (two spaces or a backslash at the end of a line), which reads as a space",
}


@cache
def _strict_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(footnote_plugin)
    return md


def dialect_problems(source: str) -> list[str]:
    """One message per construct outside the clause dialect in a clause text
    (Jinja expressions and statements stand for plain words)."""
    text = _JINJA.sub(lambda m: "x" if m.group().startswith("{{") else "", source)
    env: dict[str, Any] = {}
    tokens = _strict_parser().parse(text, env)
    found: list[str] = []
    for token in tokens:
        if token.type in _BLOCKS:
            found.append(_BLOCKS[token.type])
        elif token.type == "inline":
            found.extend(_inline_problems(token.children or []))
    if env.get("references"):
        names = ", ".join(f"[{name}]" for name in sorted(env["references"]))
        found.append(f"a reference-style link definition ({names}: …): write [text](https://…) in place")
    defined = {str(k) for k in (env.get("footnotes") or {}).get("refs", {})}
    for name in _LOOSE_FOOTNOTE.findall(_code_free(text)):
        if f":{name}" not in defined:
            found.append(f"footnote [^{name}] has no text: add a line [^{name}]: … after the paragraph")
    return list(dict.fromkeys(found))


def _inline_problems(children: list[Token]) -> list[str]:
    found: list[str] = []
    for child in children:
        if child.type in _INLINES:
            found.append(_INLINES[child.type].format(content=child.content[:40]))
        elif child.type == "link_open":
            url = str(child.attrs.get("href", ""))
            if child.markup == "autolink":
                found.append(f"an autolink (<{url[:60]}>): write [text]({url[:60]})")
            elif not url.startswith(LINK_SCHEMES):
                found.append(f"a link to {url[:60]!r}: links go to https://, http:// or mailto: addresses")
        if child.children:
            found.extend(_inline_problems(child.children))
    return found


def _code_free(text: str) -> str:
    return re.sub(r"`[^`]*`", "", text)
