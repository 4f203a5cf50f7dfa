"""/status for organisers: is the bot healthy, how far along is the event."""
