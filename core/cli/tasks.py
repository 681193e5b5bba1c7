"""`syncdeck task`: work of every kind (videos and their parts today) and the verbs on it."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from core.cli import quick
from core.cli.output import EXIT_OK, print_json
from core.tasks.states import STATE_ALIASES, TASK_STATES
from core.tasks.steps import describe

if TYPE_CHECKING:
    from core.config import Config
    from core.engine.engine import Engine
    from core.store.readonly import Reader
    from core.tasks.views import TaskView


def register(sub: Any, command: Any) -> None:
    task = command(sub, "task", help="tasks (videos and their parts) and their steps").add_subparsers(
        dest="action", required=True
    )
    tl = command(task, "list")
    tl.add_argument("--state", choices=[*TASK_STATES, *STATE_ALIASES])
    tl.add_argument("--source", type=int)
    tl.add_argument("--search")
    tl.add_argument("--limit", type=int, default=200)
    tl.add_argument("--json", action="store_true")
    tr = command(task, "reset", help="give failed steps new attempts (or everything, with --force)")
    mode = tr.add_mutually_exclusive_group()
    mode.add_argument("--failed", action="store_true", help="failed steps only (default)")
    mode.add_argument("--force", action="store_true", help="everything: download again")
    tr.add_argument("--source", type=int)
    tr.add_argument("--video", "--key", dest="key", metavar="KEY", help="one item by its key (e.g. a BV id)")
    verbs = {
        "pause": "pause downloading", "resume": "resume paused tasks", "cancel": "stop and delete partial files",
        "retry": "try failed, paused or cancelled tasks again",
    }  # fmt: skip
    for action, text in verbs.items():
        command(task, action, help=text).add_argument("ids", type=int, nargs="+")


def task_json(task: TaskView, children: list[TaskView]) -> dict[str, Any]:
    data = {k: v for k, v in asdict(task).items() if k not in ("steps", "speed", "eta")}
    data.update(subtasks=describe(task.steps), children=[
        {"id": c.id, "kind": c.kind, "number": c.number, "key": c.key, "title": c.title, "state": c.state,
         "path": c.path, "size": c.bytes_total, "subtasks": describe(c.steps), "last_error": c.last_error}
        for c in children
    ])  # fmt: skip
    data["pages"] = data["children"]  # the name earlier releases used for a video's parts
    return data


async def cmd_task(engine: Engine, args: argparse.Namespace) -> int:
    if args.action == "reset":
        changed = await engine.reset_tasks(force=args.force, source_id=args.source, key=args.key)
        print(f"{changed} tasks reset ({'forced' if args.force else 'failed steps'})")
        return EXIT_OK
    verbs = {"pause": engine.pause_tasks, "resume": engine.resume_tasks, "cancel": engine.cancel_tasks,
             "retry": engine.retry_tasks}  # fmt: skip
    done = await verbs[args.action](args.ids)  # (`task list` is answered without the engine: quick_task_list)
    past = {"pause": "paused", "resume": "resumed", "cancel": "cancelled", "retry": "queued again"}
    print(f"{len(done)} tasks {past[args.action]}")
    return EXIT_OK


def quick_task_list(reader: Reader, config: Config, args: argparse.Namespace) -> int:
    rows = [quick.task_view(r) for r in reader.tasks(state=args.state, source_id=args.source, search=args.search,
                                                    limit=args.limit)]  # fmt: skip
    if args.json:
        print_json([task_json(r, quick.task_children(reader, r.id)) for r in rows])
        return EXIT_OK
    if not rows:
        print(_nothing_found(args))
    for r in rows:
        note = r.last_error if r.state not in ("done", "queued") or r.attempts else ""
        print(f"#{r.id:<6} {r.state:<11} {r.provider:<9} {r.key:<14} {r.title[:40]}" + (f"  — {note}" if note else ""))
    return EXIT_OK


def _nothing_found(args: argparse.Namespace) -> str:
    """Say what was looked for, so an empty answer is not mistaken for a hang or an error."""
    if args.state is None and args.source is None and not args.search:
        return "no tasks yet — add a source with `syncdeck source add <link>`, then `syncdeck sync`"
    what = []
    if args.state is not None:
        what.append(f"in state {STATE_ALIASES.get(args.state, args.state)}")
    if args.source is not None:
        what.append(f"of source {args.source}")
    if args.search:
        what.append(f"matching {args.search!r}")
    return "no tasks " + " ".join(what)


COMMANDS = {"task": cmd_task}
QUICK = {("task", "list"): quick_task_list}
