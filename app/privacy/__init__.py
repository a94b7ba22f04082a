"""Personal data: erasure by the participant, by the organiser after the event, and by retention period."""
