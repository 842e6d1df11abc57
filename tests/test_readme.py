"""The README's commands are real: set-up, test command, CLI reference."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from conftest import ROOT, run

from assembler.cli.main import cli

README = (ROOT / "README.md").read_text("utf-8")


def _setup_lines() -> list[str]:
    block = README.split("## Set-up", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


def test_setup_is_two_commands_and_ci_runs_the_second() -> None:
    install, tests = _setup_lines()
    assert "pip install ." in install and "dealdraft build examples/research-collaboration.yaml" in install
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert tests in ci.splitlines(), "CI must run the README's test command"


def test_the_first_command_builds_the_example(tmp_path: Path, monkeypatch) -> None:
    install = _setup_lines()[0]
    command = install.split("&&")[-1].strip()
    args = shlex.split(command)[1:]  # after the dealdraft executable
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    args[args.index("out/")] = str(out)
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert (out / "agreement.md").is_file() and (out / "deal.lock.json").is_file()


def test_every_command_in_the_reference_exists() -> None:
    named = set(re.findall(r"`dealdraft ([a-z-]+)", README))
    assert named <= set(cli.commands), named - set(cli.commands)
    assert set(cli.commands) <= named, "every command is documented"


def test_the_testing_notes_match_the_mutation_check() -> None:
    """The README's mutation table lists exactly the mutants of bench/mutants.py,
    and its figure counts them."""
    names = re.findall(r'^    Mutant\(\n        "([a-z-]+)"', (ROOT / "bench" / "mutants.py").read_text("utf-8"), re.M)
    section = README.split("## Testing", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^\| `([a-z-]+)` \|", section, re.M) == names
    total = len(names)
    assert f"**{total} of {total} mutants are caught:**" in " ".join(section.split())
    assert total >= 10
    assert "DEALDRAFT_CI=1" in section and ".ci/try-newest" in section


def test_format_reference_is_generated_from_the_models() -> None:
    from assembler.deal.format_reference import END, START, format_reference, undocumented

    assert undocumented() == [], "give these fields a docstring"
    start, end = README.index(START), README.index(END) + len(END)
    assert README[start:end] == format_reference(), (
        "regenerate the README's format reference: python -c 'from assembler.deal.format_reference import format_reference; print(format_reference())'"
    )


def test_format_reference_covers_every_model_the_files_use() -> None:
    from pydantic import BaseModel

    from assembler.deal.format_reference import models
    from assembler.deal.schema import DealFile
    from assembler.library.conventions import ConventionsSpec
    from assembler.library.deal_type_schema import DealTypeSpec
    from assembler.library.schema import ClauseSpec

    found: set[type] = set()
    stack: list[object] = [ClauseSpec, DealTypeSpec, ConventionsSpec, DealFile]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in found:
                continue
            found.add(item)
            stack.extend(info.annotation for info in item.model_fields.values())
        else:
            stack.extend(getattr(item, "__args__", ()) or ())
            stack.extend(getattr(item, "__origin__", None) and [item.__origin__] or [])  # type: ignore[attr-defined]
    assert found <= set(models()), sorted(m.__name__ for m in found - set(models()))
