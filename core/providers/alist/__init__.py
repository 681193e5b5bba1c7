"""Alist v3 and OpenList v4 servers."""
