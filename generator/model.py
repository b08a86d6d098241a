"""The typed records that flow through the pipeline: readers make them, enrichers refine them, writers persist them."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

BlockKind = Literal["p", "h2"]


@dataclass(frozen=True)
class Block:
    """One body block as plain text: a paragraph or a section heading (never markup)."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Place:
    """A resolved place with its hierarchy, so indices and maps need no re-extraction."""

    name: str
    country: str
    region: str | None = None
    kind: str = "place"  # country / region / city / place
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    approximate: bool = False

    def to_dict(self) -> dict:
        d = {"name": self.name, "kind": self.kind, "country": self.country}
        if self.region:
            d["region"] = self.region
        if self.lat is not None and self.lon is not None:
            d["lat"] = round(self.lat, 4)
            d["lon"] = round(self.lon, 4)
        if self.geonameid:
            d["geonameid"] = self.geonameid
        if self.approximate:
            d["approximate"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Place":
        return cls(
            name=str(d["name"]),
            country=str(d.get("country") or d["name"]),
            region=d.get("region"),
            kind=str(d.get("kind", "place")),
            lat=d.get("lat"),
            lon=d.get("lon"),
            geonameid=d.get("geonameid"),
            approximate=bool(d.get("approximate", False)),
        )


@dataclass
class Article:
    """One article, whatever format it came from."""

    title: str
    blocks: list[Block]
    origin: str  # the input file (and entry) it was read from, for reports
    summary: str | None = None
    date: date | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # MinHash signature of the body (generator.dedup), computed in the reading worker; not part of equality.
    signature: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def locations(self) -> list[str]:
        return [p.name for p in self.places]

    @property
    def id(self) -> str:
        """Stable identity: a hash of the normalised text, so the same article read twice gets the same id."""
        return text_id(self.title, self.body_text)


def normalise_for_id(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\W+", " ", text).strip()


def text_id(title: str, body: str) -> str:
    digest = hashlib.sha256(normalise_for_id(title + "\n" + body).encode("utf-8")).hexdigest()
    return digest[:16]


class RejectedInput(Exception):
    """An input that cannot become an article; the message is the one-line reason."""
