"""Shared plumbing, below every stage: imports nothing else of dealdraft.

In: nothing of the pipeline. Out: what every stage uses.

Public names: ``errors`` (``DealdraftError``, ``Problem`` and the named
errors), ``limits`` (memory and time limits), ``resources`` (the bundled
clauses and templates), ``parallel`` (``fork_map``, ``cores``), ``output``
(atomic writes and output sets), ``version`` (``__version__``).
"""
