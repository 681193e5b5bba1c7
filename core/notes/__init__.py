"""Notes from videos, without the engine: inputs, transcripts, templates, note files.

The engine (core.engine.notes) runs these as batches; everything here works on one video
and an `LlmClient` (core.llm.protocol) and can be tested on its own.
"""
