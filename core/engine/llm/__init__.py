"""LLM provider accounts: keys, model lists, health checks, rate limits, gateway export."""
