"""Users, login and event team roles."""
