"""Files of the content folder that are symbolic links leading out of it are not published.

MkDocs walks docs_dir following links and copies every file it finds into the site: a link
committed as `content/notes.txt -> /etc/passwd`, or a linked folder `content/files -> ~`, published
the build machine's files (an article page linked out of the folder was read as an article, its
target's text shown as the body). Links are found with one scandir walk (a file's type comes with
the listing: no stat per file); only a link is resolved, so a content folder without links costs a
listing of its folders."""
from __future__ import annotations

import os
import re


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def links_out(docs_dir: str) -> dict[str, str]:
    """{path of the link below docs_dir (with '/'): where it leads} for every symbolic link (to a file
    or a folder, at any depth) whose target is outside docs_dir, or is missing or circular."""
    root = os.path.realpath(docs_dir)
    found: dict[str, str] = {}

    def walk(folder: str, rel: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            return  # MkDocs reports a folder it cannot list
        for entry in entries:
            if entry.name.startswith("."):
                continue  # MkDocs publishes no hidden file or folder
            name = f"{rel}{entry.name}"
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not _inside(target, root) or not os.path.exists(target):
                    found[name] = target
                    continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, name + "/")

    walk(docs_dir, "")
    return found


def drop(files, docs_dir: str, custom_dir: str | None = None) -> list[str]:
    """Remove from MkDocs' `files` every file at or below a link out of docs_dir, or out of the
    theme's custom_dir (`theme_overrides/`, whose files MkDocs copies into the site the same way:
    `theme_overrides/robots.txt -> /proc/self/environ` published the deploy job's environment);
    one problem line per link."""
    out = []
    for folder, what in ((docs_dir, "the content folder"), (custom_dir, f"the theme folder {custom_dir}")):
        found = links_out(folder) if folder and os.path.isdir(folder) else {}
        if not found:
            continue
        root = os.path.abspath(folder)
        for f in list(files):
            uri = f.src_uri
            if (f.abs_src_path and _inside(os.path.abspath(f.abs_src_path), root)
                    and any(uri == link or uri.startswith(link + "/") for link in found)):
                files.remove(f)
        out += [f"{link}: symbolic link to {target}, outside {what} (not published)"
                for link, target in sorted(found.items())]
    return out


_ARTICLE_ID = re.compile(r"^id:[ \t]*['\"]?([0-9a-f]{16})['\"]?[ \t]*$", re.MULTILINE)


def strays(files, prefix: str) -> list[str]:
    """One line per Markdown page outside the articles folder whose front matter has an article's
    `id`: a page an editor moved out of `articles/`. MkDocs published it as a plain page, and the
    ingest, which finds pages under `articles/` only, wrote the article's page again there: the
    article twice on the site, the moved copy's edits on neither. Only the few hand-written pages
    are read (their first 4 KiB)."""
    out = []
    for f in files.documentation_pages():
        if f.src_uri.startswith(prefix) or not f.abs_src_path or f.generated_by:
            continue
        try:
            with open(f.abs_src_path, encoding="utf-8", errors="replace") as page:
                head = page.read(4096)
        except OSError:
            continue
        head = head.lstrip("\ufeff").replace("\r\n", "\n")
        end = head.find("\n---", 4)
        m = _ARTICLE_ID.search(head, 4, end) if head.startswith("---\n") and end > 0 else None
        if m:
            out.append(f"{f.src_uri}: an article page (id {m.group(1)}) outside {prefix}: published as a plain "
                       f"page, and `archive ingest` writes the article's page again under {prefix} (move it back)")
    return out


def undecodable(files) -> list[str]:
    """Remove from MkDocs' `files` every file whose name is not UTF-8 (`café.md` saved in Latin-1);
    one problem line each. MkDocs could not make a URL of it: the build was a traceback
    (UnicodeEncodeError) for the whole site. One encode of all the names when none is bad."""
    try:
        "\0".join(f.src_uri for f in files).encode("utf-8")
        return []
    except UnicodeEncodeError:
        pass
    out = []
    for f in list(files):
        try:
            f.src_uri.encode("utf-8")
        except UnicodeEncodeError:
            files.remove(f)
            shown = f.src_uri.encode("utf-8", "surrogateescape")
            out.append(f"{shown.decode('utf-8', 'backslashreplace')}: a file name that is not UTF-8 text (not "
                       f"published): rename it")
    return out


# A page's name with its extension changed or extended: `x.md~` and `x.md.bak` (an editor's backups),
# `x.MD` or `x.md.txt` (a rename). MkDocs takes only `.md` (and `.markdown`…) as pages.
_PAGE_COPY = re.compile(r"\.(?:md|markdown|mdown|mkdn?)(?:[~.#_-]|$)", re.IGNORECASE)


def page_copies(files) -> list[str]:
    """Remove from MkDocs' `files` every file named like a page that is not one, one line each. MkDocs
    copied such a file into the site as it is: `x.md.bak` or `x.md~` published the raw page, front
    matter and all, at a public address, and a page renamed `x.MD` left the site without a word."""
    out = []
    for f in list(files):
        if f.generated_by or f.is_documentation_page() or not _PAGE_COPY.search(f.src_uri.rsplit("/", 1)[-1]):
            continue
        files.remove(f)
        out.append(f"{f.src_uri}: named like a page but not one (a page ends in .md): not published, as MkDocs "
                   "would copy it into the site as it is; rename it to .md, or move it out of the content folder")
    return out

