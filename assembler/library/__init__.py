"""Stage 1, the clause library: folders of YAML → a validated ``Library``.

In: the built-in ``clauses/`` folder and overlay folders. Out: a ``Library``
of clause specs, deal types and shared outlines, checked across files.

Public names: ``load.load_library``, ``load.require_valid``, ``load.Library``;
``schema`` (the clause and deal-type models), ``values`` (the variable types
and their coercion), ``checks`` (cross-file checks), ``rules`` (consistency
rules), ``yamlio`` (safe YAML with line numbers), ``cache`` (content-keyed
caches), ``validation`` (pydantic errors → problems).
"""
