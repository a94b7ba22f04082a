"""Events: organiser CRUD and the public event pages."""
