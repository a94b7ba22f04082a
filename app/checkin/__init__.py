"""Check-in at the door: scanner page, scan endpoint, attendance per day and sign-in sheets."""
