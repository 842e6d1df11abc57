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

import pytest
import yaml
from conftest import FIXTURE_LIBRARY, ROOT, fixture_deal_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembler.api import build_deal
from assembler.base.errors import DealdraftError, OutputError
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
    """A mutated deal builds or fails with problems that say why, nothing else."""
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


def _build_valid(data: dict[str, Any]) -> None:
    """A valid deal must build (a DealdraftError fails the test), and build
    what it asked for."""
    deal = parse_deal(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), LIBRARY, "<generated>")
    build = build_deal(deal, LIBRARY)
    clauses = {c["id"]: c for c in build.lock["clauses"]}
    assert set(data["include"]) <= set(clauses)
    assert clauses["fx.scope.plan"]["position"] == data["stance"]
    values = build.lock["variables"]
    for name in ("fx_review_days", "fx_plan_months"):
        if name in data["terms"]:
            assert values[name] == data["terms"][name], name


@settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(valid_deals())
def test_generated_valid_deals_build(data: dict[str, Any]) -> None:
    _build_valid(data)


@settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(mutated_deals())
def test_mutated_deals_only_ever_raise_dealdraft_errors(data: dict[str, Any]) -> None:
    _build(data)


# -- a build killed at any moment --------------------------------------------

KILL_ITERATIONS = 12


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _staging(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if p.name.startswith(".dealdraft-staging")]


def _two_sets(tmp_path: Path) -> tuple[list[str], dict[str, str], dict[str, Path], dict[str, dict[str, str]]]:
    """The build command, its environment, the two deals (balanced and
    pharma stance of the example) and the output set each one gives."""
    example = ROOT / "examples" / "research-collaboration.yaml"
    pharma = tmp_path / "pharma.yaml"
    pharma.write_text(example.read_text("utf-8").replace("\nstance: balanced", "\nstance: pharma"), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEALDRAFT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DEALDRAFT_FAULT", None)
    command = [sys.executable, "-m", "assembler.cli", "build", "-o", str(tmp_path / "out"), "--format", "md,docx", "--force"]
    deals = {"balanced": example, "pharma": pharma}
    sets = {}
    for name, deal in deals.items():
        subprocess.run([*command, str(deal)], env=env, check=True, capture_output=True)
        sets[name] = _digest(tmp_path / "out")
    assert sets["balanced"] != sets["pharma"]
    return command, env, deals, sets


def test_a_kill_in_the_middle_of_the_commit_leaves_one_whole_set(tmp_path: Path) -> None:
    """A kill that lands at each step of the commit (the failure-injection
    points of base/output.py): the process dies there, and the output folder
    holds one whole set while the staging folder holds the other."""
    command, env, deals, sets = _two_sets(tmp_path)  # the folder now holds the pharma set
    out = tmp_path / "out"
    (out / "notes.txt").write_text("the user's own file", "utf-8")
    notes = {"notes.txt": hashlib.sha256(b"the user's own file").hexdigest()}
    for point, folder_holds, staging_holds in (("staged", "pharma", "balanced"), ("swapped", "balanced", "pharma")):
        killed = subprocess.run([*command, str(deals["balanced"])], env={**env, "DEALDRAFT_FAULT": point}, capture_output=True)
        assert killed.returncode == -signal.SIGKILL, f"{point}: the build was not killed there ({killed.returncode})"
        assert _digest(out) == {**sets[folder_holds], **notes}, point
        (staging,) = _staging(tmp_path)
        assert _digest(staging) == {**sets[staging_holds], **notes}, point
        assert (out / "notes.txt").read_text("utf-8") == "the user's own file"
        # the next build cleans the staging folder up and writes its own set
        subprocess.run([*command, str(deals["pharma"])], env=env, check=True, capture_output=True)
        assert not _staging(tmp_path)
        assert _digest(out) == {**sets["pharma"], **notes}


def test_a_build_killed_at_random_moments_leaves_a_complete_set(tmp_path: Path) -> None:
    command, env, deals, sets = _two_sets(tmp_path)
    start = time.perf_counter()
    subprocess.run([*command, str(deals["balanced"])], env=env, check=True, capture_output=True)
    duration = time.perf_counter() - start
    rng = random.Random(20261123)
    outcomes = {"old": 0, "new": 0}
    for index in range(KILL_ITERATIONS):
        old, new = ("balanced", "pharma") if index % 2 == 0 else ("pharma", "balanced")
        subprocess.run([*command, str(deals[old])], env=env, check=True, capture_output=True)
        process = subprocess.Popen([*command, str(deals[new])], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = _digest(tmp_path / "out")
        assert found in (sets[old], sets[new]), f"iteration {index}: a mixed or partial set"
        outcomes["old" if found == sets[old] else "new"] += 1
    # the next build cleans up whatever staging folder a killed build left
    subprocess.run([*command, str(deals["balanced"])], env=env, check=True, capture_output=True)
    assert not _staging(tmp_path)
    assert sum(outcomes.values()) == KILL_ITERATIONS


def test_an_error_during_the_commit_leaves_the_folder_and_no_staging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assembler.base import output

    out = tmp_path / "out"
    output.write_output_set(out, {"a.md": b"old a\n", "b.md": b"old b\n"})
    before = _digest(out)

    def disk_full(point: str) -> None:
        if point == "staged":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "_reached", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        output.write_output_set(out, {"a.md": b"new a\n", "b.md": b"new b\n"})
    assert _digest(out) == before
    assert not _staging(tmp_path)


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
