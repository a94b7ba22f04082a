"""The ceiling: a bare Flask app served exactly like the real one (same gunicorn settings).

Every page of the benchmark is reported as a fraction of this app's requests per second.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
