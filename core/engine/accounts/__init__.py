"""Accounts and logins of every provider."""
