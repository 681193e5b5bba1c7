"""Direct links: http(s) files, HLS playlists, FLV and RTMP live streams, without an account."""
