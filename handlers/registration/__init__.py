"""Registration handlers: the RSVP conversation, a partner's own registration, and the
organisers' export and statistics."""
