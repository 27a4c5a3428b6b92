"""Heard: an open-source, self-hosted, empathy-first helpdesk."""
