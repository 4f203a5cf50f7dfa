"""The programme: its model and loading, what changed on a reload, its views."""
