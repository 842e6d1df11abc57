"""``python -m assembler.cli``: the same as the ``dealdraft`` command."""

from assembler.cli.main import main

main()
