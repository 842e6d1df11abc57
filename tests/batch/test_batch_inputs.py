"""A batch-wide input that cannot be used fails the batch once, before any deal is built."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_ARGS, run


@pytest.mark.parametrize("content", [None, b"not a Word document"], ids=["missing", "not a docx"])
def test_an_unusable_house_template_fails_the_batch_once(write_deal, tmp_path: Path, content: bytes | None) -> None:
    (tmp_path / "deals").mkdir()
    write_deal("deals/alpha.yaml")
    write_deal("deals/gamma.yaml", stance="pharma")
    house = tmp_path / "house.docx"
    if content is not None:
        house.write_bytes(content)
    result = run("batch", str(tmp_path / "deals"), "-o", str(tmp_path / "out"), "--format", "md,docx",
                 "--reference-docx", str(house), *FIXTURE_ARGS)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {house}: cannot read reference DOCX: ")
    assert not (tmp_path / "out").exists()


def test_a_house_template_is_not_read_without_docx(write_deal, tmp_path: Path) -> None:
    write_deal("deal.yaml")
    result = run("batch", str(tmp_path / "deal.yaml"), "-o", str(tmp_path / "out"), "--format", "md",
                 "--reference-docx", str(tmp_path / "missing.docx"), *FIXTURE_ARGS)
    assert result.exit_code == 0, result.stderr
