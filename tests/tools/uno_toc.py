"""Run by Debian's /usr/bin/python3 (where python3-uno imports): open DOCX
files in headless LibreOffice, let it update their tables of contents and
write the page number it gives every contents entry.

    /usr/bin/python3 uno_toc.py PROFILE_DIR IN.docx:OUT.json ...

OUT.json is a list of [entry text, page] for every paragraph of an updated
contents (LibreOffice's "Contents 1" and "Contents 2" styles), in order; the
entry text is what precedes the page number, tabs kept.
"""

import json
import subprocess
import sys

import uno
from uno_revisions import connect, prop


def contents_entries(doc):
    """[text before the page number, page] of every updated contents line."""
    entries = []
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if not element.supportsService("com.sun.star.text.Paragraph"):
            continue
        style = element.getPropertyValue("ParaStyleName") or ""
        if not (style.startswith("Contents ") or style.lower().startswith("toc ")):
            continue
        text = element.getString()
        head, _, page = text.rpartition("\t")
        if page.strip().isdigit():
            entries.append([head, int(page)])
    return entries


def main():
    profile, jobs = sys.argv[1], sys.argv[2:]
    office, ctx = connect(profile)
    try:
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for job in jobs:
            source, target = job.split(":", 1)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
            indexes = doc.getDocumentIndexes()
            for index in range(indexes.getCount()):
                indexes.getByIndex(index).update()
            with open(target, "w", encoding="utf-8") as handle:
                json.dump(contents_entries(doc), handle, ensure_ascii=False)
            doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
