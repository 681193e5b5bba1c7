"""LLM providers without the engine: API clients, key rotation, rate limits, model names, gateway files."""
