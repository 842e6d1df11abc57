"""``dealdraft batch``: the command over :func:`assembler.batch.run_batch`.

``cli.py`` registers it with ``cli.add_command(batch_command())``; the command
is made by a function so that importing this module never imports ``cli.py``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assembler.base.errors import DealdraftError, Problem

if TYPE_CHECKING:  # the build stack is imported when batch runs, not when the CLI starts
    from assembler.batch import BatchResult, DealResult, ProgressCallback


def _deal_paths(deals: tuple[str, ...]) -> list[Path]:
    """The DEALS arguments, with ``-`` replaced by the paths read from stdin."""
    if deals.count("-") > 1:
        raise DealdraftError([Problem("'-' (paths on standard input) can be given only once", field="DEALS")])
    paths: list[Path] = []
    for item in deals:
        if item == "-":
            from assembler.batch import read_path_list

            paths += read_path_list(sys.stdin.read())
        else:
            paths.append(Path(item))
    return paths


def _plain_progress(result: DealResult, done: int, total: int) -> None:
    width = len(str(total))
    click.echo(f"[{done:>{width}}/{total}] {result.status} {result.name} ({result.seconds:.1f} s)", err=True)
    for line in result.errors:
        click.echo(f"  {line}", err=True)


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    """A rich progress bar on a terminal, plain lines otherwise."""
    if not sys.stderr.isatty():
        yield _plain_progress
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("building", total=None)

        def update(result: DealResult, done: int, total: int) -> None:
            if result.status == "failed":
                bar.console.print(f"[red]failed[/red] {result.name}", highlight=False)
                for line in result.errors:
                    bar.console.print(f"  {line}", highlight=False, markup=False)
            bar.update(task, total=total, completed=done, description=f"{result.status} {result.name}"[:40])

        yield update


def summary_table(result: BatchResult) -> str:
    """The table ``batch`` ends with: one row per deal, then the totals."""
    from .common import text_table

    rows = [
        [r.name, f"{r.seconds:.1f} s", str(len(r.blanks)) if r.status == "built" else "", "built" if r.status == "built" else f"failed: {r.error}"]
        for r in result.results
    ]
    totals = f"{len(result.results)} deal(s): {len(result.built)} built, {len(result.failed)} failed in {result.seconds:.1f} s ({result.jobs} job(s))"
    return text_table(rows, ["deal", "time", "blanks", "result"]) + "\n" + totals


def batch_command() -> click.Command:
    """The ``batch`` command, with the shared --library and --no-builtin options."""
    from .common import LibraryChoice, OutputChoice, handle_errors, library_option, output_options

    @click.command("batch")
    @click.argument("deals", nargs=-1, required=True)
    @click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Output folder: each deal goes to OUTPUT/<deal-stem>/.")
    @click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: the number of cores; 1 builds in one process).")
    @click.option("--dask", "dask_address", metavar="ADDRESS",
                  help="Build on a Dask cluster: its scheduler's address (tcp://HOST:8786), or 'local' for one worker per core here.")
    @output_options
    @click.option("--json", "as_json", is_flag=True, help="Print only a JSON summary on standard output.")
    @library_option
    @handle_errors
    def batch(
        deals: tuple[str, ...], output: Path, jobs: int | None, dask_address: str | None, outputs: OutputChoice, as_json: bool,
        libraries: LibraryChoice,
    ) -> None:
        """Build many deals at once, each into OUTPUT/<deal-stem>/.

        DEALS are deal files and folders (their *.yaml files); '-' reads more
        paths from standard input, one per line. A deal that fails does not stop
        the others; the exit code is 1 when any deal failed. With --dask the
        deals are built on a Dask cluster's workers (pip install 'dealdraft[dask]')
        and their files written here.

        \b
        Example:
            dealdraft batch deals/ -o out/ --format docx,pdf
            find deals -name '*.yaml' | dealdraft batch - -o out/ --jobs 4 --json
            dealdraft batch deals/ -o out/ --format docx,pdf --dask tcp://scheduler:8786
        """
        paths = _deal_paths(deals)
        with _progress() as progress:
            from assembler.batch import run_batch

            result = run_batch(
                paths, output, formats=outputs.formats, jobs=jobs, library_overlays=libraries.overlays, builtin=libraries.builtin,
                options=outputs.build_options(), writer=outputs.writer_options(),
                force=outputs.force, progress_callback=progress, dask=dask_address,
            )
        if as_json:
            click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        else:
            click.echo(summary_table(result))
        if not result.ok:
            sys.exit(1)

    return batch
