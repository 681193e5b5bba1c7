"""Accounts on media servers of the user's own (Alist, OpenList, Emby, Jellyfin): log in,
browse, search and name a place on them as `ACCOUNT:PATH`."""
