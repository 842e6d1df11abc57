"""Run by Debian's /usr/bin/python3 (where python3-uno imports): mark up our
DOCX drafts in headless LibreOffice the way the other side does in a word
processor, and save each as DOCX.

    /usr/bin/python3 uno_markup.py PROFILE_DIR JOBS.json

JOBS.json is a list of jobs, each ``{"source": IN.docx, "target": OUT.docx,
"tracked": bool, "edits": [...]}``. An edit is one of:

- ``{"op": "replace", "find": TEXT, "with": TEXT, "after": HEADING}``: the
  first occurrence of TEXT after the heading HEADING (or anywhere);
- ``{"op": "insert_article", "after": HEADING, "title": T, "sections":
  [{"title": T, "paragraphs": [TEXT, ...]}]}``: a new article (heading 1,
  then headings 2 and body text) after the clause under HEADING, typed as a
  user types it (Enter, pick the style, type);
- ``{"op": "delete_clause", "heading": HEADING}``: a heading and its text;
- ``{"op": "move_clause", "heading": HEADING, "before": OTHER}``: a clause
  cut and pasted before the heading OTHER;
- ``{"op": "replace_body", "heading": HEADING, "paragraphs": [TEXT, ...]}``:
  the text under a heading replaced by pasted paragraphs;
- ``{"op": "cell", "table": TEXT, "row": R, "column": C, "text": TEXT}``:
  a cell of the table that contains TEXT retyped (0-based row and column);
- ``{"op": "update_fields"}``: every field and the table of contents updated.

With ``tracked``, changes are recorded (Edit > Track Changes > Record).
"""

import json
import sys

import uno
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK
from uno_revisions import connect, prop

BODY = "Text body"  # LibreOffice's name for Word's "Body Text"
HEADING_STYLES = ("Heading 1", "Heading 2", "Schedule Title", "Schedule Heading", "Preamble Heading")


def body_elements(doc):
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        yield enum.nextElement()


def is_heading(element):
    return element.supportsService("com.sun.star.text.Paragraph") and element.ParaStyleName in HEADING_STYLES


def stops_clause(element):
    return is_heading(element) or (
        element.supportsService("com.sun.star.text.Paragraph") and element.ParaStyleName.startswith("Signature")
    )


def heading(doc, title):
    for element in body_elements(doc):
        if is_heading(element) and element.getString().strip() == title:
            return element
    raise LookupError(f"no heading {title!r}")


def clause_elements(doc, title):
    """The heading titled ``title`` and every element up to the next heading."""
    found, out = False, []
    for element in body_elements(doc):
        if found and stops_clause(element):
            return out, element
        if not found and is_heading(element) and element.getString().strip() == title:
            found = True
        if found:
            out.append(element)
    if not found:
        raise LookupError(f"no heading {title!r}")
    return out, None


def replace(doc, edit):
    search = doc.createSearchDescriptor()
    search.SearchString = edit["find"]
    search.SearchCaseSensitive = True
    start = heading(doc, edit["after"]).getStart() if edit.get("after") else None
    found = doc.findAll(search)
    text = doc.getText()
    for index in range(found.getCount()):
        hit = found.getByIndex(index)
        if start is None or text.compareRegionStarts(start, hit.getStart()) >= 0:
            hit.setString(edit["with"])
            return
    raise LookupError(f"{edit['find']!r} not found")


def new_paragraph(text, cursor, style, content):
    """Enter at the cursor, pick a style (and no list), type."""
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    cursor.ParaStyleName = style
    if style == BODY:
        cursor.NumberingStyleName = ""
        cursor.setPropertyToDefault("NumberingRules")
    text.insertString(cursor, content, False)


def insert_article(doc, edit):
    elements, _after = clause_elements(doc, edit["after"])
    last = elements[-1]
    text = doc.getText()
    cursor = text.createTextCursorByRange(last.getEnd())
    new_paragraph(text, cursor, "Heading 1", edit["title"])
    for section in edit["sections"]:
        new_paragraph(text, cursor, "Heading 2", section["title"])
        for paragraph in section["paragraphs"]:
            new_paragraph(text, cursor, BODY, paragraph)


def clause_range(doc, title):
    elements, following = clause_elements(doc, title)
    text = doc.getText()
    cursor = text.createTextCursorByRange(elements[0].getStart())
    if following is not None:
        cursor.gotoRange(following.getStart(), True)
    else:
        cursor.gotoRange(elements[-1].getEnd(), True)
    return cursor


def delete_clause(doc, edit):
    clause_range(doc, edit["heading"]).setString("")


def move_clause(doc, edit):
    """Cut the clause; at the end of the text before the heading ``before``,
    press Enter and paste."""
    controller = doc.getCurrentController()
    controller.select(clause_range(doc, edit["heading"]))
    clip = controller.getTransferable()
    clause_range(doc, edit["heading"]).setString("")
    previous = None
    for element in body_elements(doc):
        if is_heading(element) and element.getString().strip() == edit["before"]:
            break
        previous = element
    text = doc.getText()
    cursor = text.createTextCursorByRange(previous.getEnd())
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    controller.select(cursor)
    controller.insertTransferable(clip)
    # the paragraph that Enter made is left empty after the pasted clause: remove it
    elements = list(body_elements(doc))
    for index, element in enumerate(elements[1:], start=1):
        if is_heading(element) and element.getString().strip() == edit["before"]:
            empty = elements[index - 1]
            if empty.supportsService("com.sun.star.text.Paragraph") and not empty.getString():
                gap = text.createTextCursorByRange(elements[index - 2].getEnd())
                gap.gotoRange(empty.getEnd(), True)
                gap.setString("")
            break


def replace_body(doc, edit):
    """Paste new paragraphs under the heading, then delete the old text."""
    elements, _following = clause_elements(doc, edit["heading"])
    text = doc.getText()
    cursor = text.createTextCursorByRange(elements[0].getEnd())
    for paragraph in edit["paragraphs"]:
        new_paragraph(text, cursor, BODY, paragraph)
    old = text.createTextCursorByRange(cursor.getEnd())
    old.gotoRange(elements[-1].getEnd(), True)
    old.setString("")


def cell(doc, edit):
    tables = doc.getTextTables()
    for index in range(tables.getCount()):
        table = tables.getByIndex(index)
        names = table.getCellNames()
        if any(edit["table"] in table.getCellByName(name).getString() for name in names):
            target = table.getCellByPosition(edit["column"], edit["row"])
            cursor = target.getText().createTextCursor()
            cursor.gotoStart(False)
            cursor.gotoEnd(True)
            cursor.setString(edit["text"])
            return
    raise LookupError(f"no table holds {edit['table']!r}")


def update_fields(doc, _edit):
    doc.getTextFields().refresh()
    indexes = doc.getDocumentIndexes()
    for index in range(indexes.getCount()):
        indexes.getByIndex(index).update()


OPS = {"replace": replace, "insert_article": insert_article, "delete_clause": delete_clause, "move_clause": move_clause,
       "replace_body": replace_body, "cell": cell, "update_fields": update_fields}


def main():
    profile, jobs_file = sys.argv[1], sys.argv[2]
    with open(jobs_file, encoding="utf-8") as handle:
        jobs = json.load(handle)
    office, ctx = connect(profile)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        for job in jobs:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["source"]), "_blank", 0, (prop("Hidden", True),))
            try:
                doc.RecordChanges = bool(job.get("tracked"))
                for edit in job.get("edits", []):
                    OPS[edit["op"]](doc, edit)
                doc.storeToURL(uno.systemPathToFileUrl(job["target"]), (prop("FilterName", "MS Word 2007 XML"),))
            finally:
                doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except Exception:
            office.kill()


if __name__ == "__main__":
    main()
