"""Playback: resolving what an entry plays, the local stream proxy, external players."""
