"""Reliability: generated deals never crash the tool; a killed build leaves a
complete set; every output is reproducible across environments."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from conftest import FIXTURE_LIBRARY, ROOT, fixture_deal_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembler.api import build_deal
from assembler.base.errors import DealdraftError
from assembler.deal.load import parse_deal
from assembler.library import load as library_module

LIBRARY = library_module.require_valid(library_module.load_library([FIXTURE_LIBRARY], builtin=False))
OPTIONAL = ["fx.opt.dangling", "fx.opt.term", "fx.opt.needs", "fx.opt.a", "fx.opt.b", "fx.opt.fee"]
HYPOTHESIS_EXAMPLES = 300

# -- property-based: valid and mutated deal files ----------------------------

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True), text, st.dates())
junk = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=8)


@st.composite
def valid_deals(draw: st.DrawFn) -> dict[str, Any]:
    data = fixture_deal_data()
    data["stance"] = draw(st.sampled_from(["pharma", "balanced", "partner"]))
    data["include"] = draw(st.lists(st.sampled_from(["fx.opt.a", "fx.opt.fee"]), unique=True, max_size=1))
    terms: dict[str, Any] = {}
    if draw(st.booleans()):
        terms["fx_review_days"] = draw(st.integers(30, 90))
    if draw(st.booleans()):
        terms["fx_plan_months"] = draw(st.integers(6, 48))
    if draw(st.booleans()):
        terms["fx_effective"] = draw(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)))
    if "fx.opt.fee" in data["include"]:
        terms["fx_special_fee"] = draw(st.integers(0, 10**12))
    if draw(st.booleans()):
        terms["fx_milestones"] = draw(st.lists(
            st.fixed_dictionaries({"event": st.text(min_size=1, max_size=30).filter(lambda s: s.strip() and s.isprintable()), "amount": st.integers(0, 10**9)}),
            max_size=5,
        ))
    data["terms"] = terms
    return data


@st.composite
def mutated_deals(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(valid_deals())
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(["top", "party", "terms", "include"]))
        if where == "top":
            key = draw(st.sampled_from([*data.keys(), "extra", "positions", "exclude", "title", "currency"]))
            data[key] = draw(junk)
        elif where == "party":
            parties = data.get("parties")
            party = parties[draw(st.integers(0, len(parties) - 1))] if isinstance(parties, list) and parties else {}
            if isinstance(party, dict):
                party[draw(st.sampled_from(["role", "legal_name", "short_name", "address", "x"]))] = draw(junk)
        elif where == "terms" and isinstance(data.get("terms"), dict):
            data["terms"][draw(st.sampled_from(["fx_review_days", "fx_plan_months", "fx_effective", "fx_milestones", "fx_special_fee", "nope"]))] = draw(junk)
        else:
            data["include"] = draw(st.lists(st.sampled_from([*OPTIONAL, "fx.law", "x.y"]), max_size=4))
    return data


def _build(data: dict[str, Any]) -> None:
    try:
        text_form = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        return
    try:
        deal = parse_deal(text_form, LIBRARY, "<generated>")
        build = build_deal(deal, LIBRARY)
    except DealdraftError as error:
        assert error.problems and all(str(p) for p in error.problems)
        return
    assert build.documents and build.lock["clauses"]


@settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(valid_deals())
def test_generated_valid_deals_build_or_fail_cleanly(data: dict[str, Any]) -> None:
    _build(data)


@settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(mutated_deals())
def test_mutated_deals_only_ever_raise_dealdraft_errors(data: dict[str, Any]) -> None:
    _build(data)


# -- a build killed at any moment --------------------------------------------

KILL_ITERATIONS = 12


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_build_killed_at_any_moment_leaves_a_complete_set(tmp_path: Path) -> None:
    example = ROOT / "examples" / "research-collaboration.yaml"
    pharma = tmp_path / "pharma.yaml"
    pharma.write_text(example.read_text("utf-8").replace("\nstance: balanced", "\nstance: pharma"), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEALDRAFT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "assembler.cli", "build", "-o", str(tmp_path / "out"), "--format", "md,docx", "--force"]
    sets = {}
    for name, deal in (("balanced", example), ("pharma", pharma)):
        subprocess.run([*command, str(deal)], env=env, check=True, capture_output=True)
        sets[name] = _digest(tmp_path / "out")
    assert sets["balanced"] != sets["pharma"]
    start = time.perf_counter()
    subprocess.run([*command, str(example)], env=env, check=True, capture_output=True)
    duration = time.perf_counter() - start
    rng = random.Random(20261123)
    outcomes = {"old": 0, "new": 0}
    for index in range(KILL_ITERATIONS):
        old, new = ("balanced", "pharma") if index % 2 == 0 else ("pharma", "balanced")
        subprocess.run([*command, str(example if old == "balanced" else pharma)], env=env, check=True, capture_output=True)
        process = subprocess.Popen([*command, str(pharma if new == "pharma" else example)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = _digest(tmp_path / "out")
        assert found in (sets[old], sets[new]), f"iteration {index}: a mixed or partial set"
        outcomes["old" if found == sets[old] else "new"] += 1
    # the next build cleans up whatever staging folder a killed build left
    subprocess.run([*command, str(example)], env=env, check=True, capture_output=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dealdraft-staging")]
    assert sum(outcomes.values()) == KILL_ITERATIONS


# -- reproducible across environments ----------------------------------------


def test_every_output_is_byte_identical_across_environments(tmp_path: Path) -> None:
    example = ROOT / "examples" / "research-collaboration.yaml"
    results = []
    for index, env_extra in enumerate(({"TZ": "Pacific/Auckland", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "1"},
                                       {"TZ": "America/New_York", "LC_ALL": "C", "LANG": "C", "PYTHONHASHSEED": "4242"})):
        cwd = tmp_path / f"cwd{index}"
        cwd.mkdir()
        env = {**os.environ, **env_extra, "PYTHONPATH": str(ROOT), "DEALDRAFT_CACHE_DIR": str(tmp_path / f"cache{index}")}
        out = tmp_path / f"out{index}"
        subprocess.run(
            [sys.executable, "-m", "assembler.cli", "build", str(example), "-o", str(out), "--format", "md,docx,pdf,html,json"],
            env=env, cwd=cwd, check=True, capture_output=True,
        )
        results.append(_digest(out))
    assert results[0] == results[1]
    kinds = {name.rsplit(".", 1)[-1] for name in results[0]}
    assert {"md", "docx", "pdf", "html", "json"} <= kinds
    lock = json.loads((tmp_path / "out0" / "deal.lock.json").read_text("utf-8"))
    assert lock["deal"]["file"] == "research-collaboration.yaml"
