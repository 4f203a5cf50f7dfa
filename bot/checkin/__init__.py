"""QR tickets and checking partners in at the door."""
