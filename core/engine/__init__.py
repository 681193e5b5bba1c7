"""The sync engine: rounds, limits, status, risk control and events (no Qt here)."""
