"""Providers: each service SyncDeck talks to, in its own folder, listed in registry.py."""
