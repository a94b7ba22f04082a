"""WSGI entry point: `gunicorn wsgi:app`, and `flask` through .flaskenv."""

from app import create_app

app = create_app()
