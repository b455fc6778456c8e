"""The team server: FastAPI over the store, one backend per request."""

from mlm_tui.server.app import create_app

__all__ = ["create_app"]
