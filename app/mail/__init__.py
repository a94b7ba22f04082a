"""The outbox: rendering, queueing and delivering email."""
