"""The words a person sees for a task's state, and filters by (CLI `task list --state`, the
Tasks panel). Every kind of task (a video and its parts, a mirrored file, a torrent, a note
job) uses this one vocabulary. Kept free of imports so the command line can offer them
without loading the store."""

QUEUED = "queued"  # waiting for its turn (or for the next attempt after a counted failure)
RUNNING = "running"  # being worked on right now (known to the running engine only)
PAUSED = "paused"
DONE = "done"
FAILED = "failed"  # a step gave up after its attempts
CANCELLED = "cancelled"  # the user dropped it; partial files were deleted
REMOVED = "removed"  # removed upstream
UNAVAILABLE = "unavailable"  # deleted, private, charge-only… upstream: never retried
SKIPPED = "skipped"  # left out by the source's filter rules

TASK_STATES = (QUEUED, RUNNING, PAUSED, DONE, FAILED, CANCELLED, REMOVED, UNAVAILABLE, SKIPPED)

# Words of earlier releases that scripts may still pass to `task list --state`.
STATE_ALIASES = {"pending": QUEUED, "retrying": QUEUED}


def shown_state(*, stored: str, removed: bool, unavailable: bool, cancelled: bool, wanted: bool, paused: bool) -> str:
    """The one word a task shows; the store's state filter follows the same order."""
    if removed:
        return REMOVED
    if unavailable:
        return UNAVAILABLE
    if cancelled:
        return CANCELLED
    if not wanted:
        return SKIPPED
    if stored == DONE:
        return DONE
    return PAUSED if paused else stored
