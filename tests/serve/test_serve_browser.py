"""``dealdraft serve`` in a real browser: interview, live preview, clause panel,
versions, diff, downloads, two tabs, a hand-edited file.

The truth each check compares with is outside the web app: the saved deal file
built by the ``dealdraft`` CLI in its own process, its lock's numbers, and the
DOCX read back with python-docx.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from serve_support import Server, browser, running_server, screenshots_dir

from assembler.assembly.assemble import bookmark_name


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    workspace = tmp_path_factory.mktemp("workspace")
    with running_server(workspace) as running:
        yield running


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory):
    with browser(tmp_path_factory.mktemp("profile")) as ctx:
        yield ctx


def cli_build(deal: Path, out: Path, formats: str = "md,docx") -> None:
    result = subprocess.run([sys.executable, "-m", "assembler.cli.main", "build", str(deal), "-o", str(out), "--format", formats],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def new_deal(page, server: Server, deal_type: str, name: str) -> None:
    page.goto(server.url + "/")
    page.select_option('select[name="deal_type"]', deal_type)
    page.fill('#new-deal input[name="name"]', name)
    page.click('#new-deal button[type="submit"]')
    page.wait_for_url(f"**/deals/{name}")


def docx_numbers(path: Path) -> dict[str, str]:
    """Bookmark → number, counted the way Word numbers the heading list."""
    import docx

    document = docx.Document(str(path))
    numbers: dict[str, str] = {}
    article = section = 0
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style not in ("Heading 1", "Heading 2"):
            continue
        if style == "Heading 1":
            article, section = article + 1, 0
            number = str(article)
        else:
            section += 1
            number = f"{article}.{section}"
        for name in paragraph._p.xpath(".//w:bookmarkStart/@w:name"):
            numbers[str(name)] = number
    return numbers


def test_research_collaboration_from_interview_to_docx(server: Server, context, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    new_deal(page, server, "research_collaboration", "helixa")
    agreement = page.locator("#doc-agreement")
    expect(agreement).to_contain_text("Research Collaboration Agreement")

    # the interview: parties and terms; the preview follows
    page.fill('[name="parties[1].legal_name"]', "Quillon Biotherapeutics Ltd")
    page.fill('[name="parties[1].short_name"]', "Quillon")
    expect(agreement).to_contain_text("Quillon Biotherapeutics Ltd")
    page.fill('[name="terms.research_field"]', "antibody discovery against solid tumours")
    expect(agreement).to_contain_text("antibody discovery against solid tumours")

    # a field is checked as it is typed, with the message the CLI gives
    page.fill('[name="terms.upfront_payment"]', "-5")
    error = page.locator("#f-terms-upfront_payment-error")
    expect(error).not_to_be_empty()
    shown = error.inner_text()
    bad = server.workspace / "bad-check.yaml"
    data = yaml.safe_load((server.workspace / "helixa.yaml").read_text("utf-8"))
    data.setdefault("terms", {})["upfront_payment"] = -5
    bad.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    cli = subprocess.run([sys.executable, "-m", "assembler.cli.main", "build", str(bad), "-o", str(tmp_path / "bad")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    bad.unlink()
    assert cli.returncode == 2 and shown in cli.stderr, (shown, cli.stderr)

    # the preview keeps its scroll position when a document is rendered again
    preview = page.locator("#preview")
    preview.evaluate("el => { el.scrollTop = 4000 }")
    page.fill('[name="terms.upfront_payment"]', "7,500,000")
    expect(agreement).to_contain_text("7,500,000")
    expect(error).to_be_empty()
    assert abs(preview.evaluate("el => el.scrollTop") - 4000) < 2
    shots = screenshots_dir(tmp_path)
    page.locator("#deal-form").screenshot(path=str(shots / "serve-interview.png"))
    page.screenshot(path=str(shots / "serve-preview.png"))

    # save: version 2 (version 1 is the new deal); nothing is highlighted any more
    page.click("#save")
    expect(page.locator("#status")).to_contain_text("Saved as version 2")
    expect(agreement.locator("section.changed")).to_have_count(0)

    # the clause panel: why, positions side by side; switch from there
    section = agreement.locator('section[data-clause="governance.final_say"]')
    section.locator("h3").click()
    panel = page.locator("#clause-panel")
    expect(panel).to_contain_text("Why it is in")
    expect(panel.locator(".position")).to_have_count(3)
    partner_text = panel.locator('.position[data-position="partner"] .position-text').inner_text()
    panel.locator('.position[data-position="partner"] button.use-position').click()
    expect(page.locator('[name="positions.governance.final_say"]')).to_have_value("partner")
    expect(panel.locator(".current-position")).to_have_text("partner")
    first_words = " ".join(partner_text.split()[:12])
    expect(section).to_contain_text(first_words)
    expect(agreement.locator('section.changed[data-clause="governance.final_say"]')).to_have_count(1)
    page.screenshot(path=str(shots / "serve-clause-panel.png"))
    page.click("#save")
    expect(page.locator("#status")).to_contain_text("Saved as version 3")

    # versions and their diff, word by word
    page.goto(server.url + "/deals/helixa/versions")
    page.check('input[name="old"][value="2"]')
    page.check('input[name="new"][value="3"]')
    page.click('button[type="submit"]')
    expect(page.locator(".change.position_changed")).to_contain_text("governance.final_say")
    expect(page.locator(".change.position_changed ins").first).not_to_be_empty()
    with page.expect_download() as redline:
        page.click('a[href*="/redline/agreement.docx"]')
    redline_path = tmp_path / "redline.docx"
    redline.value.save_as(redline_path)
    assert b"w:ins" in _docx_xml(redline_path)

    # the DOCX download is the CLI's build of the saved file, byte for byte,
    # and its heading numbers are the numbers in the CLI's lock
    page.goto(server.url + "/deals/helixa")
    page.click(".downloads summary")
    with page.expect_download() as download:
        page.click('a[href="/deals/helixa/download/agreement.docx?variant=draft"]')
    got = tmp_path / "agreement.docx"
    download.value.save_as(got)
    out = tmp_path / "cli"
    cli_build(server.workspace / "helixa.yaml", out)
    assert got.read_bytes() == (out / "agreement.docx").read_bytes()
    lock = json.loads((out / "deal.lock.json").read_text("utf-8"))
    expected = {bookmark_name(c["id"]): c["number"] for c in lock["clauses"]
                if c["document"] == "agreement" and re.fullmatch(r"\d+(\.\d+)?", c["number"])}
    numbers = {k: v for k, v in docx_numbers(got).items() if k in expected}
    assert len(expected) > 50 and numbers == expected
    assert lock["clauses"][0]["id"] and any(c["id"] == "governance.final_say" and c["position"] == "partner" for c in lock["clauses"])


def _docx_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


def test_consortium_with_a_party_added_builds_like_the_cli(server: Server, context, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    new_deal(page, server, "multi_party_consortium", "northmoor-consortium")
    agreement = page.locator("#doc-agreement")
    expect(agreement).to_be_visible()
    before = page.locator(".party").count()
    page.click("text=Add a party")
    expect(page.locator(".party")).to_have_count(before + 1)
    index = before
    page.select_option(f'[name="parties[{index}].role"]', "hospital")
    for key, value in {"legal_name": "Kestrel Valley Hospital Trust", "short_name": "Kestrel",
                       "entity_type": "a public hospital trust", "address": "2 Infirmary Road, Kestrel KV1 2AB"}.items():
        page.fill(f'[name="parties[{index}].{key}"]', value)
    expect(agreement).to_contain_text("Kestrel Valley Hospital Trust")
    page.screenshot(path=str(screenshots_dir(tmp_path) / "serve-consortium.png"))
    page.click("#save")
    expect(page.locator("#status")).to_contain_text("Saved as version 2")
    saved = yaml.safe_load((server.workspace / "northmoor-consortium.yaml").read_text("utf-8"))
    assert saved["parties"][index]["role"] == "hospital"
    status, _headers, markdown = server.request("GET", "/deals/northmoor-consortium/download/agreement.md")
    assert status == 200
    out = tmp_path / "cli"
    cli_build(server.workspace / "northmoor-consortium.yaml", out, "md")
    assert markdown == (out / "agreement.md").read_bytes()
    assert "Kestrel Valley Hospital Trust" in markdown.decode()


def test_two_tabs_saving_the_same_deal_conflict(server: Server, context) -> None:
    from playwright.sync_api import expect

    first = context.new_page()
    new_deal(first, server, "material_transfer", "tabs")
    second = context.new_page()
    second.goto(server.url + "/deals/tabs")
    first.fill('[name="parties[0].short_name"]', "FirstTab")
    expect(first.locator("#doc-agreement")).to_contain_text("FirstTab")
    first.click("#save")
    expect(first.locator("#status")).to_contain_text("Saved as version 2")
    second.fill('[name="parties[0].short_name"]', "SecondTab")
    expect(second.locator("#doc-agreement")).to_contain_text("SecondTab")
    second.click("#save")
    expect(second.locator("#status")).to_contain_text("changed since you opened it")
    text = (server.workspace / "tabs.yaml").read_text("utf-8")
    assert "FirstTab" in text and "SecondTab" not in text
    assert second.locator('[name="parties[0].short_name"]').input_value() == "SecondTab"


def test_a_deal_file_written_or_edited_by_hand_shows_up(server: Server, context) -> None:
    from playwright.sync_api import expect

    shutil.copy(ROOT / "examples" / "material-transfer.yaml", server.workspace / "by-hand.yaml")
    page = context.new_page()
    page.goto(server.url + "/")
    expect(page.locator('tr[data-deal="by-hand"]')).to_contain_text("Material Transfer Agreement")
    page.goto(server.url + "/deals/by-hand")
    expect(page.locator("#doc-agreement")).to_be_visible()
    data = yaml.safe_load((server.workspace / "by-hand.yaml").read_text("utf-8"))
    data["parties"][1]["short_name"] = "EditedByHand"
    (server.workspace / "by-hand.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    page.goto(server.url + "/deals/by-hand")
    expect(page.locator('[name="parties[1].short_name"]')).to_have_value("EditedByHand")
    expect(page.locator("#doc-agreement")).to_contain_text("EditedByHand")
    page.goto(server.url + "/deals/by-hand/versions")
    expect(page.locator("table")).to_contain_text("edited outside")
