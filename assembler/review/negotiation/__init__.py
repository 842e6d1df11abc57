"""The negotiation round: a copy that comes back from the other side →
what it changed, checked against our build, and the next deal file.

In: a build (or its lock) and a returned DOCX or PDF. Out: the copy's text
matched to our clauses (``docx_read``, ``pdf_copy``, ``regions``, ``units``,
``returned``, with ``compare`` and ``textnorm``), provenance and changes
(``verify``, ``copies``), and each change mapped onto the deal: values,
positions or clause text (``absorb``, ``absorb_model``, ``absorb_values``,
``override_text``), written as the next deal file (``dealfile``) with a report
(``negotiation_report``).
"""
