"""`syncdeck …` in a process of its own whose notes use the fake OpenAI-compatible server.

    python -m tests.e2e.notes_driver API_BASE syncdeck-arguments…

The real command line (core.cli.main.main) runs unchanged; only the LLM account is the real
OpenAI-compatible client pointed at the fake, since accounts are another feature's job. Used
by the end-to-end tests that kill this process mid-batch or press Ctrl+C in it.
"""

from __future__ import annotations

import sys
from typing import Any

from core.engine.notes.service import NotesService


def main() -> int:
    api_base, argv = sys.argv[1], sys.argv[2:]
    from tests.llm.clients import openai

    async def client(self: NotesService, account: str, model: str) -> Any:
        return openai(api_base, ["sk-e2e"], transcribe_model="whisper-1")

    NotesService._client = client  # type: ignore[method-assign]
    from core.cli.main import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
