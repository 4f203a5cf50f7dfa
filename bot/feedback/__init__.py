"""Feedback after the event: when to ask, ratings and comments."""
