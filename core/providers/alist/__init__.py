"""Alist v3 and OpenList v4 servers."""

DISPLAY_NAME = "Alist"
