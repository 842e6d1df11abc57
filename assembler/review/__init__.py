"""Reviewing drafts: a library, two builds, or a build and a returned file →
findings and changes.

In: a ``Library`` (lint), two builds or locks (diff, redline), a build and a
DOCX or PDF (verify). Out: problems, clause-level and word-level changes,
redline DOCX files.

Public names: ``lint.lint_library``, ``diff.diff_builds``,
``worddiff.word_diff``, ``diff_render`` (text, JSON, HTML),
``redline.write_redlines`` and ``redline_docx`` (tracked changes); the
negotiation round, from a returned copy to the next deal file, is the
``negotiation`` package (``verify``, ``absorb``).
"""
