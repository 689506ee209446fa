"""Cross-cutting extensions: security headers, rate limits, metrics."""

from __future__ import annotations

from flask import Flask

from service.config import Settings


def init_extensions(app: Flask, settings: Settings) -> None:
    """Register the extensions on ``app``; each is configured from ``settings`` only."""
