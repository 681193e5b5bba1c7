"""Qt item models over the engine's data, shared by panels and dialogs."""
