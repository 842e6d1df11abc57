"""Run by Debian's /usr/bin/python3 (where python3-uno imports): open DOCX
files in headless LibreOffice, optionally accept or reject every tracked
change, and write the text of every paragraph (body and table cells, in
order), one per line.

The paragraph text is what the paragraph says (``getString``), without the
automatic list labels, so the comparison is about text and paragraph
boundaries. (LibreOffice 7.4 lets a paragraph that follows several tracked
paragraph deletions take the deleted paragraphs' list style when they are
accepted, also in documents it writes itself; that is a paragraph property,
not text.)

    /usr/bin/python3 uno_revisions.py PROFILE_DIR MODE:IN.docx:OUT.txt ...

MODE is accept, reject or plain.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def connect(profile):
    pipe = f"dealdraft_{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + 120
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return office, ctx
        except Exception:
            if time.time() > deadline or office.poll() is not None:
                office.kill()
                raise
            time.sleep(0.3)


def paragraphs(text):
    """Texts of the paragraphs of a text, descending into tables."""
    enum = text.createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                yield from paragraphs(element.getCellByName(name).getText())
        else:
            yield element.getString()


def main():
    profile, jobs = sys.argv[1], sys.argv[2:]
    office, ctx = connect(profile)
    try:
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for job in jobs:
            mode, source, target = job.split(":", 2)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
            if mode != "plain":
                frame = doc.getCurrentController().getFrame()
                command = ".uno:AcceptAllTrackedChanges" if mode == "accept" else ".uno:RejectAllTrackedChanges"
                dispatcher.executeDispatch(frame, command, "", 0, ())
                remaining = doc.getRedlines().createEnumeration().hasMoreElements()
                if remaining:
                    print(f"{source}: tracked changes remain after {mode}", file=sys.stderr)
                    sys.exit(3)
            with open(target, "w", encoding="utf-8") as handle:
                for line in paragraphs(doc.getText()):
                    handle.write(line + "\n")
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
