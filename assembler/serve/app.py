"""The web app: the route table behind the security middleware.

``create_app`` returns an ASGI app (Starlette) that uvicorn serves;
``dealdraft serve`` is a thin command around it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from assembler.base.errors import Problem
from assembler.library.model import Library

from . import deals, drafting, review
from .security import SecurityMiddleware
from .services import HERE, ServeConfig, Services, services
from .workspace import WorkspaceError

__all__ = ["ServeConfig", "create_app"]


async def _workspace_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WorkspaceError)
    svc = services(request)
    if request.headers.get("hx-request"):
        return svc.page("_message.html.j2", exc.status, problems=[Problem(str(exc))], kind="error")
    return svc.page("error.html.j2", exc.status, message=str(exc))


async def _no_icon(request: Request) -> Response:
    return Response(status_code=204)


def create_app(config: ServeConfig, library: Library | None = None) -> Any:
    """The ASGI app of a workspace."""
    if library is None:
        from assembler.library import load as library_module

        library = library_module.require_valid(library_module.load_library(config.overlays, builtin=config.builtin))
    svc = Services(config, library)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        svc.build_pool()
        try:
            yield
        finally:
            if svc.pool is not None:
                svc.pool.close()

    routes = [Route("/favicon.ico", _no_icon), *deals.ROUTES, *drafting.ROUTES, *review.ROUTES, Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={WorkspaceError: _workspace_error})
    app.state.services = svc
    return SecurityMiddleware(app, csrf_token=svc.csrf_token, access_token=config.access_token, host=config.host)
