"""What every request handler shares: the configuration, the library, the
workspace, the page templates, the preview cache and the build pool."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from assembler.library.model import Library

from .pool import BuildPool, LibraryRecipe
from .preview import PreviewCache, clause_states, evaluate
from .workspace import Workspace

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What ``dealdraft serve`` was started with."""

    workspace: Path
    overlays: tuple[Path, ...] = ()
    builtin: bool = True
    host: str = "127.0.0.1"
    access_token: str | None = None
    """Required from browsers when the server listens beyond this machine."""
    workers: int = 1
    """Processes for DOCX, PDF and redline builds."""


class Services:
    """What every request handler shares: library, workspace, templates, caches."""

    def __init__(self, config: ServeConfig, library: Library) -> None:
        self.config = config
        self.library = library
        self.workspace = Workspace(config.workspace)
        self.preview = PreviewCache()
        self.csrf_token = secrets.token_urlsafe(32)
        self.pool: BuildPool | None = None
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._saved: dict[tuple[str, str], dict[str, tuple[str, str]] | None] = {}

    def page(self, template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(csrf_token=self.csrf_token, **context)
        return HTMLResponse(html, status_code=status, headers=headers)

    def saved_states(self, name: str, sha256: str, text: str | None = None) -> dict[str, tuple[str, str]] | None:
        """Clause states of a saved version (None when it does not build)."""
        key = (name, sha256)
        if key not in self._saved:
            if text is None:
                version = self.workspace.versions.by_sha(name, sha256)
                text = version.text if version else None
            states = None
            if text is not None:
                draft = evaluate(text, self.library, f"{name}.yaml")
                states = clause_states(draft.build) if draft.build else None
            if len(self._saved) > 64:
                self._saved.pop(next(iter(self._saved)))
            self._saved[key] = states
        return self._saved[key]

    def build_pool(self) -> BuildPool:
        if self.pool is None:
            self.pool = BuildPool(LibraryRecipe(self.config.overlays, self.config.builtin), self.config.workers)
        return self.pool


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
