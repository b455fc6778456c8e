"""The Backend over HTTP: ``RemoteBackend`` and the route table it shares with the server."""

from mlm_tui.core.remote.backend import RemoteBackend, check_server_url, connect

__all__ = ["RemoteBackend", "check_server_url", "connect"]
