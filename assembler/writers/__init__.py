"""Stage 4, the writers: a numbered ``Build`` → bytes, one file per document.

In: a ``Build`` (numbers, references, definitions and contents already
decided). Out: ``{file name: bytes}``. Writers lay out; they never decide
content, so every format says the same thing.

Public names: ``markdown.write_markdown``, ``docx.write_docx``,
``html.write_html``, ``pdf.writer.write_pdf``. ``house`` holds what the DOCX
and PDF writers share so that they lay out alike: the house style
(``templates/house-style.yaml`` or a house DOCX) and table column widths.
Each heavy dependency is imported by one writer only (python-docx by
``docx``, WeasyPrint by ``pdf.layout``).
"""
