"""The build cache's global key walks the theme folders without Material's icon folders
(buildcache._theme_files): it must take the same templates as a walk of everything would."""
from __future__ import annotations

from pathlib import Path

import material

from generator.mkdocs_plugin import buildcache

TAKEN = (".html", ".xml", ".yml")


def test_the_icon_folders_hold_no_template():
    root = Path(material.__file__).parent / "templates"
    every = [p for p in root.rglob("*") if p.suffix in TAKEN and p.is_file()]
    walked = [p for p in buildcache._theme_files(root, skip_icons=True) if p.suffix in TAKEN and p.is_file()]
    assert every and sorted(walked) == sorted(every)
    assert any(buildcache.ICONS in p.parts for p in root.rglob("*.svg"))  # the folders exist and were skipped


def test_an_override_folder_is_hashed_whole_its_icons_too(tmp_path: Path):
    """The site's own overrides (theme_overrides) count with every file, its own icons included."""
    theme = tmp_path / "theme_overrides"
    (theme / ".icons" / "custom").mkdir(parents=True)
    icon = theme / ".icons" / "custom" / "mark.svg"
    icon.write_text("<svg>a</svg>", encoding="utf-8")
    before = buildcache.global_key(None, [str(theme)], {})
    icon.write_text("<svg>b</svg>", encoding="utf-8")
    assert buildcache.global_key(None, [str(theme)], {}) != before
