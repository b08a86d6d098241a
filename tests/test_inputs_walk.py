"""Finding inputs and pages with os.scandir (inputs.py, PageStore): the same files, order and problems as the
os.walk version it replaced (kept here as the reference), each file's directory entry handed on, and
a re-ingest that takes a file's identity from that entry still sees a changed file."""
from __future__ import annotations

import os
from pathlib import Path

from generator.inputs import OUTSIDE_LINK, SKIP_SUFFIXES, display_name, find_input_names, find_inputs
from generator.pipeline import ingest

from tests.test_pipeline import scrape


def reference_find_inputs(paths, problems=None, exclude=()):
    """find_inputs as it was before os.scandir (os.walk, a Path and a stat per file)."""
    seen: set[Path] = set()
    excluded = {Path(p).resolve() for p in exclude}

    def once(p: Path, real: Path | None = None) -> bool:
        try:
            key = real or p.resolve()
        except (OSError, RuntimeError):
            key = p.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    def leads_out(p: Path, root: Path) -> bool:
        try:
            target = p.resolve()
        except (OSError, RuntimeError):
            return True
        return target != root and root not in target.parents

    for path in paths:
        path = Path(path)
        if path.is_dir():
            root = path.resolve()
            found: list[tuple[Path, Path | None]] = []
            real_dirs: dict[str, Path] = {}

            def onerror(exc: OSError) -> None:
                if problems is not None:
                    problems.append((display_name(exc.filename or path), f"unreadable folder: {exc.strerror or exc}"))

            def outside(p: Path) -> bool:
                if p.is_symlink() and leads_out(p, root):
                    if problems is not None:
                        problems.append((display_name(p), OUTSIDE_LINK))
                    return True
                return False

            for dirpath, dirnames, filenames in os.walk(path, onerror=onerror):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not outside(Path(dirpath) / d)
                                     and (not excluded or (Path(dirpath) / d).resolve() not in excluded))
                for name in filenames:
                    if name.startswith(".") or name.endswith(SKIP_SUFFIXES):
                        continue
                    sub = Path(dirpath) / name
                    if sub.is_symlink():
                        if outside(sub):
                            continue
                        found.append((sub, None))
                        continue
                    if dirpath not in real_dirs:
                        real_dirs[dirpath] = Path(dirpath).resolve()
                    found.append((sub, real_dirs[dirpath] / name))
            for sub, real in sorted(found, key=lambda f: f[0].parts):
                if once(sub, real):
                    yield sub
        elif once(path):
            yield path


def _tree(tmp_path: Path) -> Path:
    """An inbox with what walking must get right: order across folders ('z.txt' after 'sub/'),
    hidden files and folders, sidecars, links inside and out (to files and folders), a dangling
    link, a link loop, the archive's own folder and a FIFO."""
    inbox, out = tmp_path / "in", tmp_path / "outside"
    for folder in (inbox / "sub" / "deeper", inbox / ".hidden", inbox / "content" / "articles", inbox / "Zed", out):
        folder.mkdir(parents=True, exist_ok=True)
    for rel in ("a.txt", "z.txt", "B.txt", "sub/b.txt", "sub/deeper/c.txt", "sub/.dot.txt", ".hidden/h.txt",
                "content/articles/page.md", "Zed/y.txt", "sub.txt", "sub/a.meta.json"):
        (inbox / rel).write_text(f"text of {rel}\n", encoding="utf-8")
    (out / "secret.txt").write_text("secret\n", encoding="utf-8")
    (inbox / "link-in.txt").symlink_to(inbox / "sub" / "b.txt")
    (inbox / "link-out.txt").symlink_to(out / "secret.txt")
    (inbox / "dir-in").symlink_to(inbox / "sub", target_is_directory=True)
    (inbox / "dir-out").symlink_to(out, target_is_directory=True)
    (inbox / "dangling.txt").symlink_to(inbox / "missing.txt")
    (inbox / "loop1").symlink_to(inbox / "loop2")
    (inbox / "loop2").symlink_to(inbox / "loop1")
    os.mkfifo(inbox / "sub" / "fifo")
    return inbox


def test_scandir_walk_gives_the_os_walk_walks_files_order_and_problems(tmp_path):
    inbox = _tree(tmp_path)
    for paths in ([inbox], [inbox, inbox / "a.txt", inbox / "sub" / ".." / "z.txt"], [inbox / "sub", inbox],
                  [tmp_path / "outside" / "secret.txt", inbox]):
        exclude = [inbox / "content" / "articles"]
        ours_problems, ref_problems, entries = [], [], []
        ours = list(find_inputs(paths, ours_problems, exclude=exclude, entries=entries))
        ref = list(reference_find_inputs(paths, ref_problems, exclude=exclude))
        assert ours == ref and [str(p) for p in ours] == [str(p) for p in ref]
        assert ours_problems == ref_problems and ours_problems
        assert len(entries) == len(ours)
        for path, entry in zip(ours, entries):
            assert entry is None or entry.path == str(path)
        # The names the ingest uses are each Path's text (its origin in the ledger and the report).
        assert list(find_input_names(paths, exclude=exclude)) == [str(p) for p in ref]


def test_input_names_from_the_current_folder_are_their_paths_text(tmp_path, monkeypatch):
    """Walking "." gives "a.txt", as Path("./a.txt") does, not the directory entry's "./a.txt"."""
    inbox = _tree(tmp_path)
    monkeypatch.chdir(inbox)
    for start in (".", "sub", "./sub"):
        ref = list(reference_find_inputs([Path(start)], [], exclude=[]))
        assert ref and list(find_input_names([Path(start)])) == [str(p) for p in ref]


def test_reingest_sees_a_file_changed_behind_an_unchanged_size_and_mtime(tmp_path, monkeypatch):
    """A re-ingest takes an input's identity from its directory entry; an edit that keeps the size
    and puts the modification time back still changes the change time, so the file is read again.
    (No racily-clean margin here: the files were just written, and would all be hashed again.)"""
    from generator.writers import pageindex

    monkeypatch.setattr(pageindex, "RACY_NS", 0)
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"{i}.txt").write_text(scrape(i), encoding="utf-8")
    content = tmp_path / "content"
    assert {e.outcome for e in ingest([inbox], content, jobs=1)} == {"new"}
    assert {e.outcome for e in ingest([inbox], content, jobs=1)} == {"unchanged"}
    target = inbox / "1.txt"
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    edited = text.replace("Aid convoy story", "Aid convoy STORY", 1)
    assert edited != text and len(edited) == len(text)
    target.write_text(edited, encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    entries = ingest([inbox], content, jobs=1)
    assert [e.outcome for e in entries] == ["unchanged", "updated", "unchanged"]
    assert "Aid convoy STORY" in Path(entries[1].page).read_text(encoding="utf-8")


def test_the_page_walk_lists_what_os_walk_listed(tmp_path):
    """PageStore lists its pages with os.scandir: the pages, order and names (relative to content/)
    the os.walk listing gave, hidden folders and files and links to folders left out."""
    from generator.writers.markdown import PageStore

    content = tmp_path / "content"
    root = content / "articles"
    for rel in ("2024/05/b.md", "2024/05/a.md", "2024/a.md", "2024/z.md", "2024/05/.hidden.md", "2024/05/notes.txt",
                "undated/x.md", ".git/y.md", "2023/12/c.md", "2024/10/d.md", "2024/5/e.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("---\nid: 0123456789abcdef\n---\n", encoding="utf-8")
    (root / "linked").symlink_to(root / "2024", target_is_directory=True)
    (root / "2024" / "link.md").symlink_to(root / "undated" / "x.md")
    expected = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        expected += [Path(dirpath) / f for f in filenames if f.endswith(".md") and not f.startswith(".")]
    expected.sort(key=lambda p: p.parts)
    listed = PageStore(content=content)._page_entries()
    assert [path for _, path, _ in listed] == expected
    assert [name for name, _, _ in listed] == [p.relative_to(content).as_posix() for p in expected]
    assert all(entry.path == str(path) for _, path, entry in listed)
