"""Run by Debian's /usr/bin/python3 (where python3-uno imports): open a DOCX
in headless LibreOffice, insert a new list item above the item a bookmark
marks (as a lawyer adds a sub-clause), update every field, and write what
LibreOffice then shows: the marked item's list label, then the text of every
paragraph (field results included), one per line.

    /usr/bin/python3 uno_item_refs.py PROFILE_DIR IN.docx BOOKMARK OUT.txt
"""

import sys

import uno
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK
from uno_revisions import connect, paragraphs, prop


def main():
    profile, source, bookmark, target = sys.argv[1:5]
    office, ctx = connect(profile)
    try:
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
        anchor = doc.getBookmarks().getByName(bookmark).getAnchor()
        text = anchor.getText()
        before = text.createTextCursorByRange(anchor.getStart())
        before.gotoStartOfParagraph(False)
        label_before = before.getPropertyValue("ListLabelString")
        # Enter at the start of the item: a new item of the same list above it
        text.insertControlCharacter(before, PARAGRAPH_BREAK, False)
        before.gotoPreviousParagraph(False)
        text.insertString(before, "may set off any amount the other Party owes it;", False)
        doc.getTextFields().refresh()
        marked = doc.getBookmarks().getByName(bookmark).getAnchor()
        cursor = marked.getText().createTextCursorByRange(marked.getStart())
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(f"{label_before} -> {cursor.getPropertyValue('ListLabelString')}\n")
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
        except Exception:
            office.kill()


if __name__ == "__main__":
    main()
