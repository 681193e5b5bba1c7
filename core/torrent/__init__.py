"""BitTorrent on the libtorrent wheel: the session wrapper, parsing, settings, IP filters,
resume data and byte streams of downloading files. Knows nothing of the engine: the torrent
service (core.engine.torrents) drives it."""
