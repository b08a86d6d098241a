"""Exit statuses and write errors shared by the commands (cli.py, sources.py) and the ingest
pipeline, defined once: `archive update` returned a literal 3 beside cli's EXIT_STOPPED, and the
pipeline kept its own list of the errors that stop a run beside cli's."""
from __future__ import annotations

import errno

# Exit status of `archive ingest` and `archive update` (README, `archive ingest --help`).
EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C

# A write that failed for want of room or of a writable disk: every later write meets it too, so
# the ingest stops (EXIT_STOPPED) instead of failing one page after another.
OUT_OF_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})

# Errors of a file system that cannot take what a command writes, said in one line by cli.main:
# a read-only content folder made `archive ingest` and `archive update` a traceback from their lock
# file, a read-only site folder made `archive build` one from its start marker. A page the ingest
# may not write (EACCES, one folder a root run left behind) is that page's rejection, not a stop.
CANNOT_WRITE = OUT_OF_ROOM | {errno.EACCES, errno.EPERM}
