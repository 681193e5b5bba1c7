"""The words a person sees for a video's state, and filters by (CLI `task list --state`, the
Tasks panel). Kept free of imports so the command line can offer them without loading the store."""

TASK_STATES = ("pending", "retrying", "failed", "paused", "done", "removed", "skipped")
