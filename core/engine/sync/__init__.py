"""Sync and scheduling: sources, scans, rounds and the daemon."""
