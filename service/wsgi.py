"""WSGI entry point for gunicorn: ``gunicorn service.wsgi:app``."""

from service import create_app_or_exit

app = create_app_or_exit()
