"""What the benchmark scripts share (they run as ``python bench/<name>.py``,
so this folder is on their import path)."""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def dealdraft_command() -> list[str]:
    """The installed ``dealdraft`` script beside this Python, else ``python -c``."""
    script = Path(sys.executable).with_name("dealdraft")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from assembler.cli.main import main; main()"]


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
