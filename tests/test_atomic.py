"""Crash safety, for real: `archive ingest` killed with SIGKILL mid-run leaves only whole pages,
and the next run completes the work with nothing lost and nothing treated as editor-owned."""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest

from generator.pipeline import OUTCOMES, ingest
from generator.writers.ledger import BATCH, read_ledger
from generator.writers.markdown import PageStore

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("convoy aid route checkpoint harbour valley council mission report ceasefire village market "
         "bridge river supply fuel clinic school road border patrol camp winter harvest talks").split()


def scrape(seed: int) -> str:
    rng = random.Random(seed)
    title = f"Story {seed} about the {rng.choice(WORDS)} and the {rng.choice(WORDS)}"
    paras = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(5)]
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def make_inputs(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:04}.txt").write_text(scrape(i))
    return folder


def pages(content: Path) -> list[Path]:
    return sorted(p for p in (content / "articles").rglob("*.md") if not p.name.startswith("."))


def check_pages_whole(content: Path) -> set[str]:
    ids = set()
    for p in pages(content):
        post = frontmatter.load(p)  # raises on a half-written page
        assert post.metadata.get("id") and post.metadata.get("title"), p
        assert post.content.strip().endswith("."), p  # the body is complete
        ids.add(post.metadata["id"])
    return ids


def _survivors(marker: str, timeout: float) -> list[int]:
    """Processes whose command line mentions `marker` (the killed run's workers), after a grace time."""
    end = time.time() + timeout
    while True:
        found = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    state = (d / "stat").read_text().split(") ", 1)[1][:1]
                except OSError:
                    continue
                if marker in cmd and state != "Z":
                    found.append(int(d.name))
        if not found or time.time() > end:
            return found
        time.sleep(0.1)


def counts(entries):
    return {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_mid_run_then_rerun_completes(tmp_path, jobs):
    n = 300
    src = make_inputs(tmp_path / "in", n)
    content = tmp_path / "content"
    env = {**os.environ, "CI": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "ingest", str(src), "--content", str(content),
                             "--quiet", "--jobs", str(jobs)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if (content / "articles").exists() and len(pages(content)) >= 40:
            break
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.skip(f"ingest finished before it could be killed ({proc.returncode})")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not _survivors(str(content), timeout=5)  # no orphaned worker keeps running (or holds the lock)
    written = len(pages(content))
    assert 0 < written < n
    check_pages_whole(content)
    # The batches committed before the kill are in the ledger, and every page it records is on
    # disk whole, exactly as recorded (the pages of a batch are synced before its commit).
    committed = read_ledger(content)
    assert len(committed) >= written - BATCH - 1
    on_disk = {str(frontmatter.load(p).metadata["id"]): p for p in pages(content)}
    for aid, entry in committed.items():
        assert hashlib.sha256(on_disk[aid].read_bytes()).hexdigest()[:16] == entry["page"]
    store = PageStore.open(content)
    assert set(store.ledger) == set(committed)
    store.save_ledger()
    assert not list(content.rglob(".tmp-*"))  # opening the store cleared stray temp files

    entries = ingest([src], content, jobs=jobs)
    c = counts(entries)
    assert c["rejected"] == 0 and c["duplicate"] == 0 and c["updated"] == 0
    assert c["new"] + c["unchanged"] == n and c["unchanged"] >= written - 1
    ids = check_pages_whole(content)
    assert len(ids) == len(pages(content)) == n
    ledger = read_ledger(content)
    assert set(ledger) == ids  # every page has its record: none is mistaken for editor-owned
    assert not (content / ".archive" / "ledger.sqlite-wal").exists()  # closed cleanly: all in the database
    again = ingest([src], content, jobs=jobs)
    assert counts(again)["unchanged"] == n


KILL_ON_NTH_REPLACE = """
import os, signal, sys
from pathlib import Path
import generator.writers.markdown as m
calls = {"n": 0}
real = os.replace
def replace(a, b):
    if not str(b).startswith(sys.argv[2]) or not str(b).endswith(".md"):
        return real(a, b)  # e.g. the read cache, outside the content folder, or the state folder's .gitignore
    calls["n"] += 1
    if calls["n"] == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)  # between the temp file and the rename
    return real(a, b)
m.os.replace = replace
from generator.pipeline import ingest
from generator.writers.ledger import BATCH, read_ledger
ingest([Path(sys.argv[1])], Path(sys.argv[2]), jobs=1)
"""


def test_killed_between_temp_write_and_rename(tmp_path):
    src = make_inputs(tmp_path / "in", 20)
    content = tmp_path / "content"
    proc = subprocess.run([sys.executable, "-c", KILL_ON_NTH_REPLACE, str(src), str(content), "8"], cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL
    temps = list((content / "articles").rglob(".tmp-*"))
    assert len(temps) == 1 and temps[0].suffix == ".tmp"  # a temp file is never named like a page
    assert len(pages(content)) == 7
    check_pages_whole(content)
    entries = ingest([src], content, jobs=1)
    assert counts(entries) == {"new": 13, "updated": 0, "unchanged": 7, "duplicate": 0, "rejected": 0}
    assert not list(content.rglob(".tmp-*"))


def test_stray_temp_files_are_not_pages(tmp_path):
    src = make_inputs(tmp_path / "in", 3)
    content = tmp_path / "content"
    ingest([src], content, jobs=1)
    folder = pages(content)[0].parent
    (folder / ".tmp-abc123.md").write_text("---\nid: deadbeefdeadbeef\ntitle: half")  # half-written
    (folder / ".tmp-xyz.tmp").write_text("partial")
    (content / ".archive" / ".tmp-ledger.tmp").write_text("partial")  # the state folder's too
    (content / "articles" / ".tmp-top.tmp").write_text("partial")  # and the articles folder's own
    store = PageStore.open(content)
    assert "deadbeefdeadbeef" not in store.pages and len(store.pages) == 3
    assert not list(content.rglob(".tmp-*"))


def test_holds_is_true_only_for_the_same_bytes(tmp_path):
    from generator.atomicfile import holds

    path = tmp_path / "f.json"
    assert not holds(path, b"abc")  # missing
    path.write_bytes(b"abc")
    assert holds(path, b"abc")
    assert not holds(path, b"abd")  # same size, other bytes
    assert not holds(path, b"abcd")


def test_a_page_write_never_opens_an_existing_temp_name_and_keeps_the_mode(tmp_path):
    """atomic_write names its temporary file by process id and counter: a stray file (or a planted
    link) with the next name is never opened or followed, another name is taken; a missing folder is
    made; the replaced page keeps its mode, a new one gets what the umask leaves of 0666."""
    import os
    import stat

    from generator.atomicfile import _UMASK
    from generator.writers import pagefile

    folder = tmp_path / "a" / "b"
    pagefile.atomic_write(folder / "new.md", "first\n", sync=False)  # the folder is made
    assert (folder / "new.md").read_text() == "first\n"
    assert stat.S_IMODE((folder / "new.md").stat().st_mode) == 0o666 & ~_UMASK
    target = tmp_path / "elsewhere.txt"
    target.write_text("not to be touched")
    counter = pagefile._TEMPS
    peek = next(counter)
    pagefile._TEMPS = iter(range(peek + 1, peek + 100))
    try:
        stray = folder / f".tmp-{os.getpid()}-{peek + 1}.tmp"
        stray.write_text("stray")
        os.symlink(target, folder / f".tmp-{os.getpid()}-{peek + 2}.tmp")
        (folder / "new.md").chmod(0o640)
        pagefile.atomic_write(folder / "new.md", "second\n", sync=True)
    finally:
        pagefile._TEMPS = counter
    assert (folder / "new.md").read_text() == "second\n"
    assert stat.S_IMODE((folder / "new.md").stat().st_mode) == 0o640
    assert stray.read_text() == "stray" and target.read_text() == "not to be touched"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".tmp-")) == ["new.md"]
