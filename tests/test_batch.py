"""``dealdraft batch``: many deals, one failing, the summary and --json."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from click.testing import Result
from conftest import FIXTURE_ARGS, FIXTURE_LIBRARY, run

from assembler.base.errors import InputError
from assembler.batch import DealResult, expand_deal_paths, read_path_list, run_batch

BROKEN_LINE = "terms.fx_review_days: must be at least 30 days (got 5)"


def run_batch_cli(*args: str, input: str | None = None) -> Result:
    """``dealdraft batch ...`` through the real command line (no stand-in)."""
    return run("batch", *args, input=input)


@pytest.fixture
def deals(write_deal, tmp_path: Path) -> Path:
    """deals/alpha.yaml and deals/gamma.yaml build; deals/beta.yaml has a term out of bounds."""
    (tmp_path / "deals").mkdir()
    write_deal("deals/alpha.yaml")
    write_deal("deals/beta.yaml", terms={"fx_effective": "2027-02-01", "fx_review_days": 5})
    write_deal("deals/gamma.yaml", stance="pharma")
    return tmp_path / "deals"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_broken_deal_does_not_stop_the_others(deals: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = run_batch_cli(str(deals), "-o", str(out), "--jobs", jobs, *FIXTURE_ARGS)
    assert result.exit_code == 1
    for name in ("alpha", "gamma"):
        assert (out / name / "agreement.md").is_file()
        assert (out / name / "deal.lock.json").is_file()
    assert not (out / "beta").exists()
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:4]}
    assert list(rows) == ["alpha", "beta", "gamma"]
    assert rows["alpha"].endswith("built") and rows["gamma"].endswith("built")
    assert re.search(rf"failed: {re.escape(str(deals / 'beta.yaml'))}:\d+: {re.escape(BROKEN_LINE)}$", rows["beta"])
    assert result.stdout.splitlines()[-1].startswith("3 deal(s): 2 built, 1 failed in ")
    # plain progress lines on stderr (not a terminal), with every error line of a failed deal
    assert "failed beta" in result.stderr and BROKEN_LINE in result.stderr


def test_json_summary_is_all_of_stdout(deals: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    started = time.perf_counter()
    result = run_batch_cli(str(deals), "-o", str(out), "--jobs", "1", "--json", *FIXTURE_ARGS)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("total", "built", "failed", "jobs", "formats")} == {
        "total": 3, "built": 2, "failed": 1, "jobs": 1, "formats": ["md"],
    }
    by_name = {d["name"]: d for d in summary["deals"]}
    assert [d["name"] for d in summary["deals"]] == ["alpha", "beta", "gamma"]
    assert by_name["beta"]["status"] == "failed"
    assert re.fullmatch(rf"{re.escape(str(deals / 'beta.yaml'))}:\d+: {re.escape(BROKEN_LINE)}", by_name["beta"]["error"])
    assert by_name["beta"]["files"] == []
    alpha = by_name["alpha"]
    assert alpha["status"] == "built" and alpha["error"] is None and alpha["errors"] == []
    assert alpha["output"] == str(out / "alpha")
    assert sorted(Path(f).name for f in alpha["files"]) == ["agreement.md", "charter.md", "deal.lock.json"]
    # Times are measured, not made up: each built deal took some time, and
    # with one job the deals' times add up to no more than the whole batch,
    # which took no more than the call around it (rounding: 1 ms each).
    assert alpha["seconds"] > 0 and by_name["gamma"]["seconds"] > 0
    assert sum(d["seconds"] for d in summary["deals"]) <= summary["seconds"] + 0.003
    assert summary["seconds"] <= elapsed + 0.001


def test_all_built_exits_0_and_takes_paths_from_stdin(write_deal, tmp_path: Path) -> None:
    one, two = write_deal("one.yaml"), write_deal("two.yml")
    out = tmp_path / "out"
    result = run_batch_cli("-", "-o", str(out), "--format", "md,json", *FIXTURE_ARGS, input=f"{one}\n\n# a comment\n{two}\n")
    assert result.exit_code == 0, result.stderr
    assert (out / "one" / "build.json").is_file() and (out / "two" / "agreement.md").is_file()
    assert "2 deal(s): 2 built, 0 failed" in result.stdout


def test_same_stem_twice_is_an_error_naming_both(write_deal, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = write_deal("a/deal.yaml"), write_deal("b/Deal.yaml")
    result = run_batch_cli(str(first), str(second), "-o", str(tmp_path / "out"), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: DEALS: deals {first}, {second} would share the output folder 'deal'; rename one"
    )
    assert not (tmp_path / "out").exists()


def test_missing_deal_and_empty_folder_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_batch_cli(str(tmp_path / "nope.yaml"), str(tmp_path / "empty"), "-o", str(tmp_path / "out"), *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'nope.yaml'}: DEALS: no such deal file or folder",
        f"{tmp_path / 'empty'}: DEALS: folder has no deal files (*.yaml, *.yml)",
    ]


def test_unknown_format_fails_before_building(deals: Path, tmp_path: Path) -> None:
    result = run_batch_cli(str(deals), "-o", str(tmp_path / "out"), "--format", "rtf", *FIXTURE_ARGS)
    assert result.exit_code == 2
    assert "--format: unknown format 'rtf'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_help_has_an_example() -> None:
    result = run_batch_cli("--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "dealdraft batch" in result.output


def test_run_batch_reports_progress_in_the_calling_process(deals: Path, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []

    def progress(result: DealResult, done: int, total: int) -> None:
        seen.append((result.name, done, total))

    result = run_batch(
        [deals], tmp_path / "out", jobs=2, library_overlays=[FIXTURE_LIBRARY], builtin=False, progress_callback=progress
    )
    assert [r.name for r in result.results] == ["alpha", "beta", "gamma"]
    assert [r.name for r in result.failed] == ["beta"]
    assert sorted(name for name, _done, _total in seen) == ["alpha", "beta", "gamma"]
    assert [done for _name, done, _total in seen] == [1, 2, 3] and {total for *_, total in seen} == {3}
    assert not result.ok and result.jobs == 2


def test_expand_deal_paths_sorts_folders_and_skips_hidden_files(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", ".hidden.yaml", "notes.txt"):
        (tmp_path / name).write_text("x", "utf-8")
    assert [p.name for p in expand_deal_paths([tmp_path, tmp_path / "b.yaml"])] == ["a.yml", "b.yaml"]
    with pytest.raises(InputError):
        expand_deal_paths([])


def test_read_path_list() -> None:
    assert read_path_list("a.yaml\n  \n# skip\n dir/b.yaml \n") == [Path("a.yaml"), Path("dir/b.yaml")]


def test_a_bug_in_one_deal_is_a_failed_result(deals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assembler.batch.local as batch_module

    real_build = batch_module.build

    def flaky_build(deal: str, *args: object, **kwargs: object) -> object:
        if Path(deal).stem == "gamma":
            raise RuntimeError("boom")
        return real_build(deal, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_module, "build", flaky_build)
    result = run_batch([deals], tmp_path / "out", jobs=1, library_overlays=[FIXTURE_LIBRARY], builtin=False)
    assert [r.status for r in result.results] == ["built", "failed", "failed"]
    assert result.results[2].error == f"{deals / 'gamma.yaml'}: internal error: RuntimeError: boom"


def test_jobs_1_lays_each_deals_pdfs_out_in_this_process_only(
    deals: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assembler.writers.pdf import writer as pdf

    asked: list[int | None] = []
    original = pdf.write_pdf

    def recording(build, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs.get("workers"))
        return original(build, **kwargs)

    monkeypatch.setattr(pdf, "write_pdf", recording)
    (deals / "beta.yaml").unlink()
    result = run_batch([deals], tmp_path / "out", formats="pdf", jobs=1,
                       library_overlays=[FIXTURE_LIBRARY], builtin=False)
    assert result.ok, [r.errors for r in result.failed]
    assert asked == [1, 1]
    assert sorted(p.name for p in (tmp_path / "out" / "alpha").glob("*.pdf"))
