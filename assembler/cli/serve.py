"""``dealdraft serve``: the drafting workspace in a browser.

Importable without the ``serve`` extra: the web stack is imported only when
the command runs, and its absence is a one-line error with the install hint.
"""

from __future__ import annotations

import secrets
import socket
import sys
from pathlib import Path

import click

from .common import LibraryChoice, handle_errors, library_option, open_library

INSTALL_HINT = "pip install 'dealdraft[serve]'"


@click.command("serve")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="The folder of deal files (created if missing).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 takes a free one (the address printed names it).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any other than 127.0.0.1 / localhost / ::1 prints a token the browser must present.")
@library_option
@handle_errors
def serve_command(workspace: Path, port: int, host: str, libraries: LibraryChoice) -> None:
    """Start the drafting workspace in the browser: deals, interview, live preview, versions.

    \b
    Example:
        dealdraft serve --workspace deals/
    """
    try:
        import uvicorn

        from assembler.serve.app import ServeConfig, create_app
        from assembler.serve.security import is_loopback
    except ImportError as exc:
        click.echo(f"error: dealdraft serve needs the web stack ({exc.name or exc}); install it with: {INSTALL_HINT}", err=True)
        sys.exit(2)
    library = open_library(libraries)
    try:
        listener = _listen(host, port)
    except OSError as exc:
        click.echo(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    port = listener.getsockname()[1]
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    config = ServeConfig(workspace=workspace, overlays=libraries.overlays, builtin=libraries.builtin, host=host, access_token=token)
    app = create_app(config, library)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    click.echo(f"dealdraft serve: workspace {config.workspace.resolve()}", err=True)
    click.echo(f"open {address}" + ("  (the token is needed: this address is reachable beyond this machine)" if token else ""), err=True)
    server_config = uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False, timeout_graceful_shutdown=5)
    uvicorn.Server(server_config).run(sockets=[listener])


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound before the address is printed, so the printed port is
    the one served (``--port 0`` included) and a port in use is an error here."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    return listener
