"""Organisers' announcements to partners: drafts, audiences and reports."""
