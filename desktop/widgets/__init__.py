"""Reusable widgets, delegates and helpers shared by the main window's panels."""
