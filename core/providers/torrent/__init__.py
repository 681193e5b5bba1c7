"""Sources of torrents: watched folders of .torrent files and RSS/Atom feeds."""
