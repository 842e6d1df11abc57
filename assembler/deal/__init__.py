"""Stage 2, the deal: a deal file → a checked ``Deal``.

In: a deal file and the ``Library``. Out: a ``Deal`` whose parties, stance,
positions and terms are checked against its deal type.

Public names: ``load.load_deal``, ``load.parse_deal``, ``load.Deal``;
``scaffold`` (``dealdraft new`` and sample deals), ``interactive`` (the
question-and-answer deal file), ``jsonschema`` (the deal files' JSON Schema).
"""
