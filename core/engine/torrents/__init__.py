"""BitTorrent: one libtorrent session, torrents as tasks, resume data, seeding limits."""
