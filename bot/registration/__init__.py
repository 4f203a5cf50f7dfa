"""Registering for the event: the rules, the service that owns the transactions, views,
the calendar file, the organisers' export and chart."""
