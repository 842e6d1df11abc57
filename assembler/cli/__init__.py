"""The command line: argv → calls of the library API, errors → stderr lines.

In: arguments and options. Out: exit codes (0 ok, 1 findings, 2 user error)
and output on stdout, problems on stderr.

Public names: ``main.cli`` (the Click group), ``main.main`` (the entry
point); ``common`` (shared options), ``batch`` and ``review`` (command
groups), ``completion``, ``inspect`` (``show`` and ``why``).
"""
