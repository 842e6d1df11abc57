"""Stage 3, assembly: ``Library`` + ``Deal`` → a numbered ``Build`` and its lock.

In: a ``Library`` and a ``Deal``. Out: a frozen document tree (``tree.Build``)
with numbers, resolved references, definitions, contents and the lock.

Flow: ``plan`` (clauses, positions, values) → ``render`` (sandboxed Jinja,
``sandbox``, ``simple_templates``, ``formatting``) → ``markdown`` (the clause
dialect → blocks) → ``assemble`` (numbers, ``ref()`` resolution, definitions,
contents; ``build_info``, ``lockfile``).

Public names: ``plan.make_plan``, ``assemble.assemble``,
``assemble.BuildOptions``, ``tree`` (the node types), ``lockfile``.
"""
