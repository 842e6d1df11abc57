"""The PDF writer: a ``Build`` → PDF bytes, through our HTML and WeasyPrint.

Public names: ``writer.write_pdf``; ``markup`` (our HTML as a tree, no
WeasyPrint), ``layout`` (the one module that imports WeasyPrint, with the
templates-only URL fetcher), ``engine`` (the early layout process).
"""
