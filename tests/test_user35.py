"""Round 35 of trying the archive as a new user, an attacker and a tired editor would: every test
fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import errno

from generator import cli, exits, pipeline, sources

from .conftest import run_archive


def test_archive_yml_counts_the_other_keys_typed_twice(tmp_path):
    """mkdocs.yml's line said how many more keys were typed twice; archive.yml's, built apart, did
    not, so an editor fixed one repeated key and met the next on the following run."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "archive.yml").write_text("sources:\n  - folder: inbox\nx: 1\nsources: []\nx: 2\n", encoding="utf-8")
    out = run_archive("update", "--offline", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.strip() == (
        "archive update: archive.yml: 'sources' is given twice (lines 1 and 4): YAML keeps only the last, "
        "the first is ignored; remove one (and 1 more keys given twice)"), out.stderr


def test_exit_statuses_and_write_errors_are_defined_once():
    """`archive update` returned a literal 3 beside cli's EXIT_STOPPED, and the pipeline's errors
    that stop an ingest were a second list beside cli's CANNOT_WRITE: each is now one definition."""
    assert cli.EXIT_STOPPED is exits.EXIT_STOPPED and cli.CANNOT_WRITE is exits.CANNOT_WRITE
    stopped = sources.UpdateResult(entries=[pipeline.Entry("x", "rejected", stopped=True)])
    assert stopped.exit_code == exits.EXIT_STOPPED
    assert exits.OUT_OF_ROOM < exits.CANNOT_WRITE
    for code in exits.OUT_OF_ROOM:
        assert pipeline._out_of_room(OSError(code, "x"))
    assert not pipeline._out_of_room(OSError(errno.EACCES, "x"))  # one page's folder, not the whole run
