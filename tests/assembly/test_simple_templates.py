"""Simple clause texts render without the Jinja compiler, exactly as Jinja would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from known_findings import build_tolerating_known

from assembler import api
from assembler.assembly import simple_templates
from assembler.assembly.assemble import _Assembler
from assembler.assembly.render import Renderer
from assembler.assembly.simple_templates import parse
from assembler.base.errors import RenderError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return api.load_library()


@pytest.fixture(scope="module")
def context(library) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    deal = api.load_deal(ROOT / "examples" / "research-collaboration.yaml", library)
    plan = api.plan_deal(deal, library)
    return _Assembler(plan, library, Renderer()).context


def _jinja_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simple_templates, "parse", lambda name, source: None)


def _outcome(renderer: Renderer, source: str, context: dict[str, Any]) -> tuple[str, str]:
    try:
        return "text", renderer.render(("fx.clause", "positions.balanced.text"), source, dict(context))
    except RenderError as error:
        return "error", str(error)


@pytest.mark.parametrize(
    "source",
    [
        "Plain text.",
        "Plain text with a final newline.\n",
        "Two final newlines.\n\n",
        "Windows\r\nline\rends\r\n",
        "{{ party('pharma') }} shall notify {{ party(\"partner\") }}.",
        "Within {{ days(notice_days) }} of {{term('Effective Date')}}",
        "{{ money(upfront_payment) }} and {{ percent(royalty_rate) }}",
        "{{ no_such_variable }}",
        "{{ days(no_such_variable) }}",
        "{{ no_such_helper('x') }}",
        "{{ party() }}",
        "{{ party('nobody') }}",
        "{{ days(3) }} and {{ days(0) }}",
        "Braces } and }} and { alone.",
        "{{ 'just a string' }}",
    ],
)
def test_known_texts_render_as_jinja_renders_them(
    source: str, context: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _outcome(Renderer(), source, context)
    _jinja_only(monkeypatch)
    assert _outcome(Renderer(), source, context) == fast


@pytest.mark.parametrize(
    "source",
    [
        "{% if x %}a{% endif %}",
        "{# note #}",
        "{{- party('pharma') }}",
        "{{ party('pharma') -}}",
        "{{ deal.stance }}",
        "{{ x | upper }}",
        "{{ a + b }}",
        "{{ f('it\\'s') }}",
        "{{ f(1.5) }}",
        "{{ f(007) }}",
        "{{ f('a',) }}",
        "{{ true }}",
        "{{ f(none) }}",
        "unclosed {{ party('pharma')",
        "{{ f('}}') }}",
    ],
)
def test_everything_else_goes_to_jinja(source: str) -> None:
    assert parse("x", source) is None


def test_most_shipped_texts_are_simple(library) -> None:  # type: ignore[no-untyped-def]
    texts = [
        text for clause in library.clauses.values()
        for text in [*(p.text for p in clause.spec.positions.values()), *clause.spec.defines.values()]
    ]
    simple = [text for text in texts if parse("x", text) is not None]
    assert len(simple) > len(texts) / 2


@pytest.mark.parametrize("deal", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_builds_the_same_tree_either_way(
    deal: Path, library, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    def tree() -> str:
        build = build_tolerating_known(deal, library)
        return json.dumps([api.node_to_dict(d) for d in build.documents], sort_keys=True, default=str)

    fast = tree()
    _jinja_only(monkeypatch)
    assert tree() == fast


_NAMES = st.sampled_from([
    "party", "parties", "term", "ref", "days", "business_days", "money", "percent", "number",
    "words", "date", "law", "join", "total", "months", "notice_days", "royalty_rate",
    "upfront_payment", "deal", "range", "undefined_thing", "_private",
])
_STRING = st.text(alphabet=st.characters(blacklist_characters="'\\\r", blacklist_categories=("Cs",)), max_size=12)
_ARG = st.one_of(
    _STRING.map(lambda s: f"'{s}'"),
    st.integers(min_value=0, max_value=10**6).map(str),
    _NAMES,
    st.sampled_from(["'pharma'", "'partner'", "'Effective Date'", "'governance.jsc'", "'and'"]),
)
_EXPR = st.one_of(
    _NAMES,
    st.tuples(_NAMES, st.lists(_ARG, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
).map(lambda e: "{{ " + e + " }}")
_TEXT = st.text(alphabet="ab {}\n\r%#-'\"é", max_size=8)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.one_of(_TEXT, _EXPR), max_size=6))
def test_generated_texts_render_as_jinja_renders_them(
    pieces: list[str], context: dict[str, Any]
) -> None:
    source = "".join(pieces)
    simple = parse("x", source) is not None
    fast = _outcome(Renderer(), source, context)
    original = simple_templates.parse
    simple_templates.parse = lambda name, text: None  # type: ignore[assignment]
    try:
        slow = _outcome(Renderer(), source, context)
    finally:
        simple_templates.parse = original  # type: ignore[assignment]
    assert fast == slow, (source, simple)
