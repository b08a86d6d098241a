"""More hostile input and tired-editor mistakes, each found by trying it on a scratch project: the
test fails on the code before its fix (commit messages say what happened before)."""
from __future__ import annotations

import os
from pathlib import Path

from .conftest import copy_project, run_archive
from .test_hostile_site import GOOD_PAGE


def _page(project: Path, text: str = GOOD_PAGE, name: str = "edited.md") -> Path:
    page = project / "content" / "articles" / "2024" / "05" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def test_a_symbolic_link_out_of_the_content_folder_is_never_published(tmp_path):
    """A link committed into content/ (to a file, to a folder, as an article page) was followed by
    MkDocs and its target copied into the site: `content/notes.txt -> /etc/passwd` published the
    build machine's file. Now each is left out, in one line naming the link, and the strict build fails."""
    outside = tmp_path / "home"
    (outside / "keys").mkdir(parents=True)
    (outside / "secret.txt").write_text("SECRET-FILE-TEXT\n")
    (outside / "keys" / "id.txt").write_text("SECRET-IN-FOLDER\n")
    (outside / "story.md").write_text(GOOD_PAGE.replace("The convoy reached", "SECRET-AS-PAGE The convoy"))
    project = copy_project(tmp_path / "p")
    content = project / "content"
    page = _page(project)
    os.symlink(outside / "secret.txt", content / "notes.txt")
    os.symlink(outside / "keys", content / "files")
    os.symlink(outside / "story.md", page.parent / "linked.md")
    os.symlink("edited.md", page.parent / "inside.md")  # a link that stays inside is fine
    os.symlink(tmp_path / "missing", content / "dangling.txt")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    for link in ("notes.txt", "files", "articles/2024/05/linked.md", "dangling.txt"):
        lines = [line for line in out.splitlines() if f"{link}: symbolic link to " in line]
        assert len(lines) == 1 and "outside the content folder" in lines[0], out
    assert "inside.md" not in out
    site = project / "site"
    published = [p for p in site.rglob("*") if p.is_file()]
    assert published, "the site was built"
    for p in published:
        data = p.read_bytes()
        assert b"SECRET-" not in data, p
    assert not (site / "notes.txt").exists() and not (site / "files").exists()
    assert (site / "articles" / "2024" / "05" / "edited" / "index.html").is_file()
