"""Emby and Jellyfin media servers: one client for both, registered as two providers.

`server` knows how the two differ (detection, auth headers, token in URLs), `client` is a
logged-in session, `items` turns the servers' BaseItemDto into the shared shapes, `playback`
reads PlaybackInfo and builds the playback reports, `provider` puts it together.
"""
