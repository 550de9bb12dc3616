"""The HTTP surfaces of `skilltick serve`, one FastAPI app on one port."""

from assistant.http.app import create_app

__all__ = ["create_app"]
