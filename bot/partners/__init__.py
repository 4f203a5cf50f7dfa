"""Partner organisations and their invite links."""
