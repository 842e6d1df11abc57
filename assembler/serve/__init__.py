"""``dealdraft serve``: a drafting workspace in the browser.

In: a workspace folder of deal files and the clause library. Out: a local web
app (Starlette on uvicorn, server-rendered HTML, a vendored htmx) with the
deals list, an interview generated from the deal type's schema, a live
preview by the HTML writer, the clause panel, versions, diffs and downloads.
Public names: ``create_app`` and ``ServeConfig`` (``assembler.serve.app``).
"""
