"""The German web interface (server-rendered, session cookies with CSRF)."""

from __future__ import annotations

from flask import Flask


def init_web(app: Flask) -> None:
    """Register the web blueprints, sign-in and the HTML error pages."""
