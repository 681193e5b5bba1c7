"""Playback without the engine: the local stream proxy, subtitle conversion, players."""
