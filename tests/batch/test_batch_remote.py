"""What a cluster's worker runs for a batch, run here: the library arrives as
bytes, is checked against the fingerprint the client named, and is loaded once."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURE_LIBRARY, fixture_deal_data

from assembler.api import WriterOptions, render_deal
from assembler.assembly.options import BuildOptions
from assembler.batch import remote
from assembler.library import load as library_module


@pytest.fixture(autouse=True)
def fresh_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process that has loaded nothing yet, and no library cache on disk."""
    monkeypatch.setattr(remote, "_LIBRARIES", {})
    monkeypatch.setattr(remote, "_LOADS", remote.Counter())
    monkeypatch.setenv("DEALDRAFT_NO_CACHE", "1")


def bundle_of(folder: Path) -> remote.LibraryBundle:
    sources = library_module.read_library([folder], builtin=False)
    return remote.LibraryBundle.pack(sources, library_module.parse_library(sources).fingerprint)


def deal_text(**changes: object) -> str:
    import yaml

    data = fixture_deal_data()
    data.update(changes)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def remote_deal(name: str = "deals/alpha.yaml", text: str | None = None) -> remote.RemoteDeal:
    return remote.RemoteDeal(name, text or deal_text(), ("md", "docx"), BuildOptions(), WriterOptions(pdf_workers=1))


def test_a_deal_built_from_bytes_is_the_deal_built_from_the_folders(tmp_path: Path) -> None:
    copy = tmp_path / "house"
    shutil.copytree(FIXTURE_LIBRARY, copy)
    (tmp_path / "deal.yaml").write_text(deal_text(), "utf-8")
    library = library_module.require_valid(library_module.load_library([copy], builtin=False))
    expected = render_deal(tmp_path / "deal.yaml", formats=("md", "docx"), library=library).files
    bundle = bundle_of(copy)
    shutil.rmtree(copy)  # a worker has no such folder
    result = remote.build_remote(remote_deal(str(tmp_path / "deal.yaml")), bundle)
    assert result.status == "built", result.errors
    assert dict(result.files) == expected
    assert sorted(dict(result.files)) == ["agreement.docx", "agreement.md", "charter.docx", "charter.md", "deal.lock.json"]


def test_the_library_is_loaded_once_per_worker() -> None:
    bundle = bundle_of(FIXTURE_LIBRARY)
    for name in ("a", "b", "c"):
        assert remote.build_remote(remote_deal(f"deals/{name}.yaml"), bundle).status == "built"
    assert remote.library_loads() == {bundle.key: 1}


def test_bytes_that_do_not_make_the_named_library_build_nothing() -> None:
    bundle = bundle_of(FIXTURE_LIBRARY)
    sources = bundle.unpack()
    first = sources.files[0]
    tampered = replace(sources, files=(replace(first, raw=first.raw + b"\n# changed on the way\n"), *sources.files[1:]))
    wrong = remote.LibraryBundle.pack(tampered, bundle.fingerprint)  # claims the original fingerprint
    result = remote.build_remote(remote_deal(), wrong)
    assert result.status == "failed" and result.files == ()
    (line,) = result.errors
    assert line.startswith("deals/alpha.yaml: the library this worker received loads as sha256:")
    assert line.endswith(f", not {bundle.fingerprint} as the client named; nothing was built")
    assert remote.library_loads() == {}
    assert remote.build_remote(remote_deal(), bundle).status == "built"  # the right bytes still build


def test_a_worker_with_other_versions_builds_nothing() -> None:
    bundle = bundle_of(FIXTURE_LIBRARY)
    other = replace(bundle, tool=bundle.tool.replace(f"dealdraft {remote.__version__}", "dealdraft 0.0.1"))
    result = remote.build_remote(remote_deal(), other)
    assert result.status == "failed"
    assert result.errors == (
        f"deals/alpha.yaml: this worker cannot build the same bytes as the client: dealdraft {remote.__version__} "
        "(client: dealdraft 0.0.1); install the same versions on every machine",
    )


def test_the_same_files_under_other_folders_keep_their_own_names(tmp_path: Path) -> None:
    # same fingerprint (same files), but problems must name the folders the client named
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(FIXTURE_LIBRARY, one)
    shutil.copytree(FIXTURE_LIBRARY, two)
    first, second = bundle_of(one), bundle_of(two)
    assert first.fingerprint == second.fingerprint
    paths = [{c.path for c in remote.worker_library(b).clauses.values()} for b in (first, second)]
    assert paths[0] == {str(one / "fx" / "clauses.yaml")}
    assert paths[1] == {str(two / "fx" / "clauses.yaml")}


def test_a_broken_deal_is_a_failed_result_naming_the_clients_path() -> None:
    text = deal_text(terms={"fx_effective": "2027-02-01", "fx_review_days": 5})
    result = remote.build_remote(remote_deal("client/deals/beta.yaml", text), bundle_of(FIXTURE_LIBRARY))
    assert result.status == "failed" and result.files == ()
    assert len(result.errors) == 1
    assert result.errors[0].startswith("client/deals/beta.yaml:")
    assert result.errors[0].endswith("terms.fx_review_days: must be at least 30 days (got 5)")
