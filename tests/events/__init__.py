"""Events: organiser pages and public pages."""
