"""Notes from videos: batches of transcribe-and-write tasks with checkpoints."""
