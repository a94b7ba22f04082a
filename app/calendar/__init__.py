"""iCalendar feeds and schedule (XML/JSON) exports."""
