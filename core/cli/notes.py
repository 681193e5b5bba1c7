"""`syncdeck notes …`: notes from videos with an LLM, in batches that survive Ctrl+C and crashes.

syncdeck notes run INPUT… [--template NAME|FILE] [--llm NAME] [--model M] [--format md,json,html]
                   [--out DIR] [--workers N] [--language ui|zh_CN|en] [--param KEY=VALUE] [--frames N] [--json]
syncdeck notes list [--json]           syncdeck notes show BATCH [--json]
syncdeck notes pause|resume|cancel|retry BATCH
syncdeck notes templates [--json]

`run` and `resume` work in the foreground with a progress line and exit 0 when every note is
written, 1 when some failed (each with its reason) or the batch was paused or cancelled from
elsewhere; Ctrl+C (or SIGTERM) pauses the batch, and `notes resume BATCH` continues it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from core.cli.output import EXIT_FAILED, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE, print_json
from core.errors import ConfigError

if TYPE_CHECKING:
    from core.engine.engine import Engine
    from core.engine.notes.views import NoteBatchView, NoteTaskView
    from core.events import Event

INPUT_HELP = "a video file, a folder, a .txt list, a .csv (path or url column), a link, source:ID, playlist:ID, task:ID"


def register(sub: Any, command: Any) -> None:
    notes = command(sub, "notes", help="notes from videos with an LLM, in batches")
    actions = notes.add_subparsers(dest="action", required=True)
    run = command(actions, "run", help="make notes of videos now (Ctrl+C pauses; `notes resume` continues)")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUT_HELP)
    run.add_argument("--template", help="a template name (`notes templates`) or a template file")
    run.add_argument("--llm", help="the LLM account (default: the setting notes.llm)")
    run.add_argument("--model", help="the model (default: the account's)")
    run.add_argument("--format", dest="formats", help="md, json, html, comma-separated (default: notes.formats)")
    run.add_argument("--out", help="folder for the notes (default: next to each video)")
    run.add_argument("--workers", type=int, help="videos at the same time, 1-8 (default: notes.workers)")
    run.add_argument("--language", choices=("ui", "zh_CN", "en"), help="language of the notes")
    run.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="a template parameter")
    run.add_argument("--frames", type=int, help="key frames per note as images (default: notes.frames)")
    run.add_argument("--name", default="", help="the batch's name")
    run.add_argument("--json", action="store_true", help="print the batch and its tasks as JSON at the end")
    command(actions, "list", help="note batches and where they stand").add_argument("--json", action="store_true")
    show = command(actions, "show", help="one batch and its tasks")
    show.add_argument("batch", type=int)
    show.add_argument("--json", action="store_true")
    for action, text in (("pause", "pause a batch (it can be resumed)"),
                         ("resume", "continue a paused or interrupted batch, in the foreground"),
                         ("cancel", "stop a batch for good"),
                         ("retry", "give a batch's failed videos another try, in the foreground")):  # fmt: skip
        verb = command(actions, action, help=text)
        verb.add_argument("batch", type=int)
        if action in ("resume", "retry"):
            verb.add_argument("--json", action="store_true")
    command(actions, "templates", help="the note templates there are").add_argument("--json", action="store_true")


def self_contained(argv: list[str], args: argparse.Namespace) -> list[str]:
    """`argv` for a running SyncDeck, whose working folder is not ours: local paths made absolute."""
    if args.action != "run":
        return argv
    from pathlib import Path

    def absolute(text: str) -> str:
        path = Path(text).expanduser()
        return str(path.absolute()) if not path.is_absolute() and path.exists() else text

    out: list[str] = []
    wanted = set(args.inputs)
    after_run = False
    expects_path = False
    for token in argv:
        if expects_path:
            out.append(absolute(token) if token == args.template else str(Path(token).expanduser().absolute()))
            expects_path = False
        elif token in ("--out", "--template"):
            out.append(token)
            expects_path = True
        elif token.startswith("--out="):
            out.append("--out=" + str(Path(token[6:]).expanduser().absolute()))
        elif token.startswith("--template="):
            out.append("--template=" + absolute(token[11:]))
        elif after_run and token in wanted:
            out.append(absolute(token))
        else:
            after_run = after_run or token == "run"
            out.append(token)
    return out


def batch_json(view: NoteBatchView, tasks: list[NoteTaskView] | None = None) -> dict[str, Any]:
    data = asdict(view)
    if tasks is not None:
        data["tasks"] = [asdict(t) for t in tasks]
    return data


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--param needs KEY=VALUE, got {pair!r}")
        out[key.strip()] = value
    return out


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    total = int(seconds)
    h, rest = divmod(total, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def cost_text(cost: float) -> str:
    from core.engine.notes.views import cost_text

    return cost_text(cost)


def summary_line(view: NoteBatchView) -> str:
    tokens = view.prompt_tokens + view.completion_tokens
    parts = [f"{view.done}/{view.total} written"]
    if view.skipped:
        parts.append(f"{view.skipped} already there")
    if view.failed:
        parts.append(f"{view.failed} failed")
    if view.cancelled:
        parts.append(f"{view.cancelled} cancelled")
    parts.append(f"{tokens:,} tokens")
    if view.cost:
        parts.append(f"cost {cost_text(view.cost)}")
    return " · ".join(parts)


def task_usage(task: NoteTaskView) -> str:
    """What a task used, e.g. " · 1,234 tokens · cost 0.0012"; "" when it used no model."""
    tokens = task.prompt_tokens + task.completion_tokens
    if not tokens:
        return ""
    return f" · {tokens:,} tokens" + (f" · cost {cost_text(task.cost)}" if task.cost else "")


# What a running task does, as `notes show` says it.
STAGE_WORDS = {"fetch": "fetching from the site", "transcript": "transcript", "writing": "writing",
               "frames": "key frames", "files": "saving", "waiting": "waiting to retry"}  # fmt: skip


class BatchProgress:
    """On stderr: a self-rewriting progress bar on a terminal, else one line per finished video."""

    def __init__(self, engine: Engine, batch_id: int, stream: Any = None) -> None:
        self.engine, self.batch_id = engine, batch_id
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._titles: dict[int, str] = {}
        self._ticker: asyncio.Task[None] | None = None
        self._unsubscribe = engine.bus.subscribe(self._on_event)

    async def start(self) -> None:
        self._titles = {t.id: t.title for t in await self.engine.notes.batch_tasks(self.batch_id)}
        if self.tty:
            self._ticker = asyncio.ensure_future(self._tick())

    def _on_event(self, event: Event) -> None:
        from core.engine.notes.events import NoteTaskChanged

        if self.tty or not isinstance(event, NoteTaskChanged) or event.batch_id != self.batch_id:
            return
        title = self._titles.get(event.task_id, f"task {event.task_id}")
        if event.state == "running" and event.stage == "fetch" and event.progress == 0.0:
            print(f"fetching {title}", file=sys.stderr, flush=True)
        elif event.state == "done":
            print(f"done     {title}", file=sys.stderr, flush=True)
        elif event.state == "skipped":
            print(f"there    {title} (its note was already written)", file=sys.stderr, flush=True)
        elif event.state == "failed":
            print(f"failed   {title}: {event.error}", file=sys.stderr, flush=True)

    async def _tick(self) -> None:
        while True:
            view = await self.engine.notes.batch(self.batch_id)
            width = 24
            filled = int(view.progress * width)
            bar = "#" * filled + "." * (width - filled)
            line = (f"[{bar}] {view.progress * 100:3.0f}% · {view.done}/{view.total} written · "
                    f"{view.running} working · {view.failed} failed · ETA {_clock(view.eta)} · "
                    f"{view.prompt_tokens + view.completion_tokens:,} tokens"
                    + (f" · cost {cost_text(view.cost)}" if view.cost else ""))  # fmt: skip
            self.stream.write("\r\x1b[K" + line[:160])
            self.stream.flush()
            await asyncio.sleep(0.5)

    async def close(self) -> None:
        self._unsubscribe()
        self._unsubscribe = lambda: None
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
            self._ticker = None
            self.stream.write("\r\x1b[K")
            self.stream.flush()


async def _foreground(engine: Engine, batch_id: int, as_json: bool, work: Any) -> int:
    """Run `work` (a coroutine that runs the batch) with the progress shown; Ctrl+C or SIGTERM pause it."""
    from core.cli.sync import _on_sigterm

    progress = BatchProgress(engine, batch_id)
    await progress.start()
    job = asyncio.ensure_future(work)
    terminated = False

    def terminate() -> None:
        nonlocal terminated
        terminated = True
        job.cancel()

    undo = _on_sigterm(terminate)
    try:
        await job
    except asyncio.CancelledError:
        await progress.close()
        print(f"note batch #{batch_id} paused; `syncdeck notes resume {batch_id}` continues it", file=sys.stderr)
        if terminated:
            return EXIT_TERMINATED
        raise
    finally:
        undo()
        await progress.close()
    view = await engine.notes.batch(batch_id)
    if as_json:
        print_json(batch_json(view, await engine.notes.batch_tasks(batch_id)))
    else:
        print(f"note batch #{batch_id} {view.state}: {summary_line(view)}")
        for task in await engine.notes.batch_tasks(batch_id):
            if task.state == "failed":
                print(f"  failed: {task.title} — {task.error}")
        if view.state == "paused":
            print(f"paused elsewhere; `syncdeck notes resume {batch_id}` continues it", file=sys.stderr)
    return EXIT_OK if view.state == "done" else EXIT_FAILED


async def cmd_notes(engine: Engine, args: argparse.Namespace) -> int:
    notes = engine.notes
    if args.action == "run":
        formats = [f.strip() for f in args.formats.split(",") if f.strip()] if args.formats else None
        await notes.check_llm(args.llm, args.model)  # no account: say so before making a batch
        view = await notes.create_batch(
            args.inputs, template=args.template or "", params=_params(args.param), llm=args.llm, model=args.model,
            formats=formats, out_dir=args.out, workers=args.workers, language=args.language, frames=args.frames,
            name=args.name,
        )  # fmt: skip
        if not args.json:
            videos = "1 video" if view.total == 1 else f"{view.total} videos"
            print(f"note batch #{view.id}: {videos}, template {view.template}, "
                  f"{view.workers} workers", file=sys.stderr)  # fmt: skip
        return await _foreground(engine, view.id, args.json, notes.run_batch(view.id))
    if args.action == "list":
        views = await notes.batches()
        if args.json:
            print_json([batch_json(v) for v in views])
        elif not views:
            print("no note batches yet — make one with `syncdeck notes run <folder or video>`")
        for v in views if not args.json else []:
            print(f"#{v.id:<5} {v.state:<10} {v.name[:30]:<30} {v.template:<22} {summary_line(v)}")
        return EXIT_OK
    if args.action == "show":
        view = await notes.batch(args.batch)
        tasks = await notes.batch_tasks(args.batch)
        if args.json:
            print_json(batch_json(view, tasks))
            return EXIT_OK
        print(f"#{view.id} {view.name} — {view.state}: {summary_line(view)}; ETA {_clock(view.eta)}")
        for t in tasks:
            note = f" — {t.error}" if t.state == "failed" else (f" → {', '.join(t.outputs)}" if t.outputs else "")
            doing = f" ({STAGE_WORDS.get(t.stage, t.stage)} {t.progress * 100:.0f}%)" if t.state == "running" else ""
            print(f"  {t.state:<9} {t.title[:50]}{doing}{task_usage(t)}{note}")
        return EXIT_OK
    if args.action == "templates":
        templates = await notes.templates()
        problems = await notes.template_problems()
        if args.json:
            print_json({"templates": [asdict(t) for t in templates], "problems": problems})
            return EXIT_OK
        for t in templates:
            where = "built in" if t.built_in else t.path
            params = ", ".join(f"{k}={v}" for k, v in t.parameters.items())
            print(f"{t.name:<22} {t.title} ({where})" + (f"\n{'':<22} parameters: {params}" if params else ""))
        for path, problem in problems.items():
            print(f"unusable template {path}: {problem}", file=sys.stderr)
        print(f"your own templates go in {notes.templates_folder}", file=sys.stderr)
        return EXIT_OK
    if args.action == "pause":
        view = await notes.pause_batch(args.batch)
        print(f"note batch #{view.id} paused: {summary_line(view)}")
        return EXIT_OK
    if args.action == "cancel":
        view = await notes.cancel_batch(args.batch)
        print(f"note batch #{view.id} cancelled: {summary_line(view)}")
        return EXIT_OK
    if args.action in ("resume", "retry"):
        view = await notes.batch(args.batch)
        if args.action == "retry":
            view = await notes.retry_failed(args.batch)
        if view.active:
            print(f"note batch #{view.id} already runs (in another SyncDeck process); it goes on there")
            return EXIT_OK
        if view.state == "cancelled":
            print(f"syncdeck: note batch #{view.id} was cancelled; start a new one with `syncdeck notes run`",
                  file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        return await _foreground(engine, view.id, args.json, notes.resume_batch(args.batch, background=False))
    return EXIT_USAGE


COMMANDS = {"notes": cmd_notes}
