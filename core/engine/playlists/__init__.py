"""Playlists: static playlists, folders and dynamic folders backed by a provider's browsing."""
