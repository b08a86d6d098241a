"""Ingest benchmark: 1,000 mixed, synthesised inputs ingested twice (idempotence), serial vs
parallel, and PageStore.open on a 10,000-page archive.

    .venv/bin/python benchmarks/bench_ingest.py [--n 1000] [--pages 10000] [--jobs N] [--keep DIR]

The inputs are ORIGINAL text, generated here from templates and word lists (no corpus needed):
scraped pages with site chrome (menus, share bars, cookie banners, newsletter boxes, copyright),
exact duplicates (same text, other file name, sometimes another encoding), near-duplicate
syndicated copies (new headline, a few words changed, a sentence dropped, a wire prefix), and bad
files (empty, binary, huge, undecodable, no title). It prints files/s, the counts of both runs, the
expected counts per kind of input, and whether the second run wrote nothing (mtimes + hashes).
Not a timed test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import dedup, readcache  # noqa: E402
from generator.model import Article, Block  # noqa: E402
from generator.pipeline import MAX_BYTES, OUTCOMES, find_inputs, ingest, read_all  # noqa: E402
from generator.writers.markdown import PageStore  # noqa: E402

PLACES = ["Mosul", "Kirkuk", "Raqqa", "Deir Ezzor", "Aleppo", "Idlib", "Sanaa", "Aden", "Hodeidah", "Marib",
          "Mogadishu", "Kismayo", "Baidoa", "Timbuktu", "Gao", "Mopti", "Niamey", "Maiduguri", "Goma", "Bunia",
          "El Fasher", "Khartoum", "Kharkiv", "Odesa", "Kherson", "Tripoli", "Benghazi", "Kabul", "Kandahar",
          "Cox's Bazar", "Sittwe", "Bogota", "Cucuta", "Port-au-Prince", "Pemba", "Mocimboa da Praia", "Juba",
          "Bamako", "Ouagadougou", "Diffa", "Agadez", "Tigray", "Mekelle", "Gaza", "Rafah", "Jenin", "Beirut"]
ACTORS = ["local officials", "the regional governor", "a military spokesman", "aid agencies", "the United Nations",
          "residents", "a hospital director", "community elders", "the interior ministry", "police",
          "the International Committee of the Red Cross", "the World Food Programme", "a coalition spokesperson",
          "humanitarian workers", "the defence ministry", "a district commissioner", "witnesses", "tribal leaders",
          "the UN refugee agency", "Doctors Without Borders", "the African Union mission", "independent monitors"]
EVENTS = ["an attack on a checkpoint", "a drone strike", "heavy shelling", "a roadside bomb", "clashes between rival groups",
          "the arrival of an aid convoy", "a prisoner exchange", "the reopening of a border crossing", "a cholera outbreak",
          "the collapse of a ceasefire", "flooding after days of rain", "a kidnapping of aid workers", "a mass displacement",
          "a raid on a militant hideout", "the release of detainees", "an ambush on a supply route", "a fuel shortage",
          "a strike on a power station", "the evacuation of patients", "a landmine explosion"]
VERBS = ["said", "told reporters", "confirmed", "warned", "reported", "stated", "announced", "estimated", "claimed",
         "insisted", "noted", "added"]
NOUNS = ["families", "civilians", "fighters", "children", "patients", "traders", "farmers", "displaced people",
         "soldiers", "volunteers", "students", "fishermen", "health workers", "truck drivers", "teachers"]
ADJ = ["northern", "southern", "eastern", "western", "remote", "crowded", "besieged", "rural", "coastal", "central",
       "mountainous", "flooded", "contested", "devastated", "isolated"]
WHERE = ["market", "hospital", "school", "camp", "bridge", "port", "airport", "checkpoint", "village", "district",
         "highway", "refinery", "clinic", "mosque", "warehouse", "power plant", "water station", "bakery"]
TIMES = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "over the weekend", "late on Sunday",
         "early on Saturday", "overnight", "last week", "earlier this month", "in the early hours"]
SENTENCES = [
    "{Actor} {verb} that {n} {noun} had been affected by {event} near the {adj} {where} {time}.",
    "According to {actor}, at least {n} {noun} were forced to leave the {adj} {where} {time}.",
    "{Actor} {verb} the situation in {place} remained tense after {event}.",
    "The {where} in {place} was closed {time} while {actor} assessed the damage.",
    "{N} {noun} sheltered in a {adj} {where} as {event} continued around {place}.",
    "{Actor} {verb} that supplies of food and medicine would reach {place} within {k} days.",
    "It was the {ord} such incident in {place} this year, {actor} {verb}.",
    "Prices in the {where} of {place} have risen by {k} per cent since {event}, {actor} {verb}.",
    "{Actor} called for an investigation into {event} and urged all sides to protect {noun}.",
    "Satellite images reviewed by {actor} showed damage to a {adj} {where} outside {place}.",
    "Convoys carrying {k} tonnes of aid waited at the {where} for permission to enter {place}.",
    "{Actor} {verb} that {n} {noun} had registered for assistance in the {adj} districts of {place}.",
    "Talks between {actor} and {actor2} are expected to resume in {place2} {time}.",
    "The road between {place} and {place2} was reopened {time} after {event}.",
    "Many {noun} said they had not been paid for {k} months and feared {event} would return.",
]
HEADLINES = [
    "{Event} in {place} leaves {n} {noun} without shelter",
    "{Place}: {actor} report {event} near the {where}",
    "{N} {noun} displaced after {event} in {adj} {place}",
    "Aid reaches {place} days after {event}",
    "{Actor} warn of worsening crisis in {place}",
    "Fears grow in {place} as {event} disrupts supplies",
    "{Place} {where} reopens after {event}",
    "What {event} means for {noun} in {place}",
]
CHROME_TOP = ["Skip to main content", "Home | World | Africa | Middle East | Europe", "Menu", "Search", "Sign in",
              "Subscribe now", "We use cookies to improve your experience. Accept all cookies", "Advertisement",
              "News > World > Middle East"]
CHROME_BOTTOM = ["Share this article", "Facebook Twitter WhatsApp Email", "Sign up for our daily briefing newsletter in your inbox",
                 "Related articles", "Advertisement", "© 2024 The Frontline Courier. All rights reserved.",
                 "Privacy Policy | Terms of Use | Contact us", "Back to top"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WIRES = ["(Reuters) - ", "(AFP) - ", "(AP) — ", "NAIROBI (Wire) - "]


def _fill(template: str, rng: random.Random) -> str:
    values = {
        "actor": rng.choice(ACTORS), "actor2": rng.choice(ACTORS), "verb": rng.choice(VERBS),
        "n": str(rng.randint(3, 4000)), "noun": rng.choice(NOUNS), "event": rng.choice(EVENTS),
        "adj": rng.choice(ADJ), "where": rng.choice(WHERE), "time": rng.choice(TIMES),
        "place": rng.choice(PLACES), "place2": rng.choice(PLACES), "k": str(rng.randint(2, 90)),
        "ord": rng.choice(["second", "third", "fourth", "fifth", "sixth"]),
    }
    for key in list(values):
        values[key.capitalize()] = values[key][:1].upper() + values[key][1:]
    return template.format(**values)


def synth_article(rng: random.Random) -> tuple[str, list[list[str]], list[str] | None, date]:
    """(headline, paragraphs as sentence lists, standfirst, date)."""
    headline = _fill(rng.choice(HEADLINES), rng)
    paragraphs = [[_fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(4, 8))]
    stand = [_fill(rng.choice(SENTENCES), rng).rstrip(".")] if rng.random() < 0.5 else None
    day = date(2023, 1, 1) + timedelta(days=rng.randint(0, 700))
    return headline, paragraphs, stand, day


def render_scrape(headline, paragraphs, stand, day, rng: random.Random, wire: str = "") -> str:
    lines = rng.sample(CHROME_TOP, rng.randint(2, 5))
    lines.append(headline)
    if stand:
        lines.append(stand[0])
    if rng.random() < 0.7:
        lines.append(f"Published: {day.day} {MONTHS[day.month - 1]} {day.year}")
    if rng.random() < 0.4:
        lines.append(f"By {rng.choice(['Amina Yusuf', 'Karim Haddad', 'Lena Petrenko', 'John Okafor', 'Maria Lopez'])}")
    for i, para in enumerate(paragraphs):
        text = " ".join(para)
        if i == 0 and wire:
            text = wire + text
        lines.append(text)
        if i == 2 and rng.random() < 0.3:
            lines.append(f"Concerns over {rng.choice(NOUNS)} in {rng.choice(PLACES)}")
    lines += rng.sample(CHROME_BOTTOM, rng.randint(2, 5))
    return "\n\n".join(lines) + "\n"


def syndicate(headline, paragraphs, stand, day, rng: random.Random):
    """A syndicated copy: new headline, 1-3 words changed, maybe a sentence dropped, a wire prefix."""
    paragraphs = [list(p) for p in paragraphs]
    for _ in range(rng.randint(1, 3)):
        p = rng.randrange(len(paragraphs))
        s = rng.randrange(len(paragraphs[p]))
        words = paragraphs[p][s].split()
        words[rng.randrange(len(words))] = rng.choice(["reportedly", "also", "roughly", "now", "officially"])
        paragraphs[p][s] = " ".join(words)
    if rng.random() < 0.5:
        longest = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
        if len(paragraphs[longest]) > 2:
            paragraphs[longest].pop()
    new_headline = _fill(rng.choice(HEADLINES), rng)
    return new_headline, paragraphs, stand, day, rng.choice(WIRES)


def generate(folder: Path, n: int, seed: int = 20240501) -> Counter:
    """Write n mixed inputs into folder; returns how many of each kind (and the expected outcome)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    kinds: Counter = Counter()
    n_bad = max(6, n * 6 // 100)
    n_exact = n * 6 // 100
    n_near = n * 8 // 100
    n_orig = n - n_bad - n_exact - n_near
    originals = []
    for i in range(n_orig):
        art = synth_article(rng)
        originals.append(art)
        text = render_scrape(*art, rng)
        enc = rng.choices(["utf-8", "utf-8-sig", "utf-16", "cp1252"], weights=[80, 8, 6, 6])[0]
        sub = folder / rng.choice(["scrapes", "scrapes/2023", "scrapes/2024", "inbox"])
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"orig-{i:05}.txt").write_bytes(text.encode(enc))
        kinds["original (new)"] += 1
    for i in range(n_exact):
        art = originals[rng.randrange(len(originals))]
        # The same article saved again: same text, other chrome and encoding, other folder.
        text = render_scrape(*art, random.Random(rng.random()))
        (folder / "mirror").mkdir(exist_ok=True)
        (folder / "mirror" / f"copy-{i:05}.txt").write_bytes(text.encode(rng.choice(["utf-8", "utf-16"])))
        kinds["exact copy (duplicate)"] += 1
    picks = rng.sample(range(len(originals)), n_near)
    for i, k in enumerate(picks):
        headline, paras, stand, day, wire = syndicate(*originals[k], rng)
        (folder / "wire").mkdir(exist_ok=True)
        (folder / "wire" / f"syndicated-{i:05}.txt").write_text(
            render_scrape(headline, paras, stand, day, rng, wire=wire), encoding="utf-8")
        kinds["near-duplicate (duplicate)"] += 1
    bad = folder / "bad"
    bad.mkdir(exist_ok=True)
    makers = [
        ("empty", lambda i: b""),
        ("binary", lambda i: bytes(rng.randrange(256) for _ in range(3000)) + b"\x00\x00"),
        ("undecodable", lambda i: bytes(rng.randrange(128, 256) for _ in range(3000))),
        ("no title", lambda i: b"Menu\n\nSearch\n\nHome\n\nOK\n"),
        ("whitespace", lambda i: b" \n\t\n   \n"),
    ]
    n_huge = 2 if n >= 200 else 0
    for i in range(n_bad - n_huge):
        name, make = makers[i % len(makers)]
        (bad / f"{name.replace(' ', '-')}-{i:03}.txt").write_bytes(make(i))
        kinds[f"bad: {name} (rejected)"] += 1
    for i in range(n_huge):
        path = bad / f"huge-{i}.txt"
        chunk = render_scrape(*originals[i], rng).encode() * 64
        with open(path, "wb") as fh:
            while fh.tell() <= MAX_BYTES:
                fh.write(chunk)
        kinds["bad: huge (rejected)"] += 1
    return kinds


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*")) if p.is_file()}


def counts(entries) -> dict[str, int]:
    return {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}


def timed_ingest(src: Path, content: Path, jobs: int):
    t = time.perf_counter()
    entries = ingest([src], content, jobs=jobs)
    return entries, time.perf_counter() - t


def bench_store(n_pages: int, tmp: Path) -> None:
    """PageStore.open on an archive of n_pages pages (written directly, no enrichment)."""
    content = tmp / "big-content"
    rng = random.Random(7)
    store = PageStore.open(content)
    articles = []
    for i in range(n_pages):
        headline, paras, stand, day = synth_article(rng)
        articles.append(Article(title=f"{headline} ({i})", blocks=[Block("p", " ".join(p)) for p in paras],
                                origin=f"gen-{i}.txt", summary=stand[0] if stand else None, date=day,
                                tags=["Humanitarian aid"]))
        articles[-1].signature = dedup.signature(articles[-1].body_text)  # as the reading workers do
    t = time.perf_counter()
    for art in articles:
        store.write(art)
    store.save_ledger()
    write_s = time.perf_counter() - t
    t = time.perf_counter()
    store = PageStore.open(content)
    open_s = time.perf_counter() - t
    ledger_mb = (content / ".archive" / "ledger.sqlite").stat().st_size / 1e6
    print(f"\n== PageStore with {n_pages:,} pages ==")
    print(f"write {n_pages:,} new pages (one sync per batch): {write_s:.1f} s ({n_pages / write_s:,.0f} pages/s)")
    print(f"PageStore.open: {open_s:.2f} s ({len(store.pages):,} ids, {len(store.near):,} signatures for the LSH index); "
          f"ledger.sqlite {ledger_mb:.1f} MB")
    sample = articles[:: max(1, n_pages // 1000)]
    t = time.perf_counter()
    outcomes = Counter(store.write(a).outcome for a in sample)
    store.save_ledger()
    again_s = time.perf_counter() - t
    print(f"re-write {len(sample):,} of them unchanged: {again_s:.2f} s {dict(outcomes)}")
    new = Article(title="A brand new article about the harbour", blocks=articles[0].blocks[1:] + articles[1].blocks[:2],
                  origin="fresh.txt")
    t = time.perf_counter()
    outcome = store.write(new).outcome
    store.save_ledger()
    print(f"first new article into the {n_pages:,}-page store (builds the LSH index): "
          f"{time.perf_counter() - t:.2f} s ({outcome})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of inputs (default 1000)")
    ap.add_argument("--pages", type=int, default=10000, help="pages for the PageStore.open benchmark (0: skip)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for the parallel runs")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args(argv)

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        src = tmp / "inputs"
        if src.exists():
            shutil.rmtree(src)
        t = time.perf_counter()
        kinds = generate(src, args.n)
        files = sum(1 for p in src.rglob("*") if p.is_file())
        print(f"generated {files} inputs in {time.perf_counter() - t:.1f} s under {src}")
        for k, v in sorted(kinds.items()):
            print(f"  {v:5}  {k}")
        expected = {"new": kinds["original (new)"],
                    "duplicate": kinds["exact copy (duplicate)"] + kinds["near-duplicate (duplicate)"],
                    "rejected": sum(v for k, v in kinds.items() if k.startswith("bad"))}
        print(f"expected run 1: {expected}")

        # Reads are cached by the generator; the cache lives here, and is off until run 1 in parallel
        # (the first measurements must read every file).
        os.environ["NEWS_ARCHIVE_READ_CACHE"] = str(tmp / "read-cache")
        shutil.rmtree(tmp / "read-cache", ignore_errors=True)
        readcache.ENABLED = False
        # The reading half alone (read + decode + extract + enrich + MinHash), which is what runs in
        # the worker processes; writing pages stays in the main process, in input order.
        all_files = list(find_inputs([src]))
        t = time.perf_counter()
        list(read_all(all_files, 1))
        r1 = time.perf_counter() - t
        t = time.perf_counter()
        list(read_all(all_files, args.jobs))
        rp = time.perf_counter() - t
        print(f"\nreading only: serial {r1:.1f} s ({files / r1:.0f} files/s), {args.jobs} workers {rp:.1f} s "
              f"({files / rp:.0f} files/s), speed-up x{r1 / rp:.2f} on {os.cpu_count()} cores")

        for folder in ("content-serial", "content"):
            if (tmp / folder).exists():
                shutil.rmtree(tmp / folder)
        serial, s1 = timed_ingest(src, tmp / "content-serial", jobs=1)
        print(f"run 1, serial   (jobs=1): {s1:6.1f} s  {files / s1:6.1f} files/s  {counts(serial)}")
        readcache.ENABLED = True  # as `archive ingest` runs (a first ingest stores no reads: the ledger settles them)
        first, t1 = timed_ingest(src, tmp / "content", jobs=args.jobs)
        print(f"run 1, parallel (jobs={args.jobs}): {t1:6.1f} s  {files / t1:6.1f} files/s  {counts(first)}  "
              f"speed-up x{s1 / t1:.2f}")
        same = [(e.input, e.outcome) for e in serial] == [(e.input, e.outcome) for e in first]
        print(f"serial and parallel runs agree entry by entry: {same}")
        assert sum(counts(first).values()) == len(first) == files, "counts do not reconcile with the inputs"

        before = snapshot(tmp / "content")
        second, t2 = timed_ingest(src, tmp / "content", jobs=args.jobs)
        after = snapshot(tmp / "content")
        c2 = counts(second)
        print(f"run 2, parallel (jobs={args.jobs}): {t2:6.1f} s  {files / t2:6.1f} files/s  {c2}  (the ledger settles every unchanged file)")
        readcache.ENABLED = False
        third, t3 = timed_ingest(src, tmp / "content", jobs=args.jobs)
        readcache.ENABLED = True
        print(f"run 3, parallel (jobs={args.jobs}): {t3:6.1f} s  {files / t3:6.1f} files/s  {counts(third)}  "
              f"(--no-cache: every file read again)")
        after_third = snapshot(tmp / "content")
        print(f"third run wrote nothing either: {after_third == after}")
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        print(f"second run wrote nothing (same files, mtimes and hashes): {not changed}"
              + (f" -- changed: {changed[:5]}" if changed else ""))
        print(f"second run: every non-rejected input unchanged: "
              f"{c2['unchanged'] == files - c2['rejected'] and c2['rejected'] == counts(first)['rejected']}")

        near = [e for e in first if "/wire/" in e.input.replace(os.sep, "/")]
        same = [e for e in first if "/mirror/" in e.input or "/orig-" in e.input]
        print(f"originals + exact copies: {len(same)} inputs -> {sum(e.outcome == 'new' for e in same)} pages "
              f"(expected {kinds['original (new)']}: one per distinct article; which copy comes first in "
              f"path order gets the page)")
        linked = sum(e.outcome == "duplicate" for e in near)
        print(f"near-duplicates linked to their original's page: {linked}/{len(near)}")
        missed = [e for e in near if e.outcome == "new"]
        if missed:
            store = PageStore.open(tmp / "content")
            sims = []
            for e in missed:
                sig = dedup.decode(store.ledger[store.page_ids[Path(e.page)]]["minhash"] or "")
                others = [dedup.similarity(sig, o) for k, o in store.near.signatures.items()
                          if sig is not None and store.pages.get(k) != Path(e.page)]
                sims.append(max(others, default=0.0))
            print(f"  missed ones: best estimated Jaccard to another page {min(sims):.2f}-{max(sims):.2f} "
                  f"(threshold {dedup.THRESHOLD}); they got their own page")
        pages = sum(1 for _ in (tmp / "content" / "articles").rglob("*.md"))
        print(f"pages: {pages}")
        reasons = Counter(e.reason.split(" (")[0].split(":")[0] for e in first if e.outcome == "rejected")
        print("rejections:", dict(reasons))
        if args.pages:
            bench_store(args.pages, tmp)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
