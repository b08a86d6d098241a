/* The archive's search page: queries the static index written by generator/search/build.py.
   Fetches only meta.json, the shards of the query's words and word pairs, one file per filter
   used, and the title files of the results shown. Article text is data: it reaches the page only
   through textContent and checked relative links, never as markup. */
(function () {
  "use strict";
  var root = document.getElementById("archive-search");
  // Any other page: once a reader starts to type in the header's box, the two files the search
  // page's first search waits for (meta.json, aliases.json) are fetched while they type, so the
  // search page finds them in the cache. Nothing is fetched for a reader who never searches. (Not
  // the search page itself: the reader lands on search/?q=…, which a prefetch of search/ is not.)
  var box = document.querySelector("header .archive-searchbox");
  if (!root && box) {
    box.addEventListener("focusin", function warm() {
      box.removeEventListener("focusin", warm);
      ["meta.json", "aliases.json"].forEach(function (name) {
        var link = document.createElement("link");
        link.rel = "prefetch";
        link.href = new URL("../search-index/" + name, box.action).href;
        link.crossOrigin = "anonymous"; // as search.js's fetch() asks for them
        document.head.appendChild(link);
      });
    });
  }
  // The page for a missing address (404.html): its words, to search for what the reader was after.
  var lost = document.getElementById("archive-notfound-q");
  if (lost && !lost.value) {
    var part = location.pathname.split("/").filter(Boolean).pop() || "";
    try { part = decodeURIComponent(part); } catch (e) { /* a malformed escape: the raw text */ }
    lost.value = part.replace(/\.html?$/i, "").replace(/^404$/, "").replace(/[-_+.]+/g, " ").trim();
  }
  if (!root) return;
  var IDX = root.getAttribute("data-index");
  var SITE = root.getAttribute("data-base");
  var PAGE = 10;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var FACETS = ["tag", "country", "place", "source"];
  var form = root.querySelector("form");
  var list = root.querySelector(".archive-search__results");
  var status = root.querySelector(".archive-search__count");
  var more = root.querySelector(".archive-search__more");
  var cache = new Map();
  // On paper the page ends with its address (main.html): a printed search gave the search page's
  // address without the words and filters, so the reader could not run it again.
  var printed = document.querySelector(".archive-printed-from");
  var printedAs = printed ? printed.textContent : "";
  var meta = null, stop = null, shown = [], ranked = [], runId = 0, aliases = new Map(), aliasLength = 0;
  // What picks a query's shards, filled into the page once the index was written (site.py
  // stamp_page): the page's inline script preloads the shards of a query in the address beside
  // meta.json, as soon as the page is parsed, and these are the URLs it preloads. A page without
  // it (an older one): the shards are named by meta.json, as before.
  var layout = null;
  try { layout = JSON.parse(root.getAttribute("data-layout") || "null"); } catch (e) { layout = null; }
  if (!layout || !(layout.shards > 0) || !Array.isArray(layout.stopwords)) layout = null;

  function get(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(IDX + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      }));
    }
    return cache.get(path);
  }
  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function words(s) {
    return (fold(s).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return !stop.has(w) && w.length <= 40; });
  }
  var enc = new TextEncoder();
  function shardOf(term, n) {
    var h = 0x811c9dc5, bytes = enc.encode(term);
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h % n;
  }
  // A term's shard file: versioned by the page's layout (a shard of another build is never reused).
  function shardFile(term) {
    return layout ? "s/" + shardOf(term, layout.shards) + ".json?v=" + encodeURIComponent(layout.v)
      : "s/" + shardOf(term, meta.shards) + ".json";
  }
  // The words and the pairs of neighbouring words a query's shards are looked up for.
  function termsOf(all) {
    var pairs = [];
    for (var i = 0; i + 1 < all.length; i++) pairs.push(all[i] + " " + all[i + 1]);
    return [Array.from(new Set(all)), Array.from(new Set(pairs))];
  }
  function postings(term) {
    return get(shardFile(term)).then(function (shard) {
      var p = Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
      if (!p) return null;
      var out = new Map(), id = 0;
      for (var i = 1; i < p.length; i += 2) { id += p[i]; out.set(id, p[i + 1]); }
      return { df: p[0], ids: out };
    });
  }
  // A facet file: a delta list of ids, or a bitset of the ids from "o" on.
  function idsOf(file) {
    return get(file).then(function (f) {
      if (f.d) { var s = new Set(), id = 0; f.d.forEach(function (d) { id += d; s.add(id); }); return function (i) { return s.has(i); }; }
      var bin = atob(f.b), o = f.o;
      return function (i) { var j = i - o, byte = j >> 3; return j >= 0 && byte < bin.length && (bin.charCodeAt(byte) >> (j & 7)) & 1; };
    });
  }
  function listOf(file) {
    return get(file).then(function (f) {
      var out = [], id = 0;
      if (f.d) { f.d.forEach(function (d) { id += d; out.push(id); }); return out; }
      var bin = atob(f.b);
      for (var j = 0; j < bin.length * 8; j++) if ((bin.charCodeAt(j >> 3) >> (j & 7)) & 1) out.push(f.o + j);
      return out;
    });
  }
  // Facet files are named by the value's hash (stable as values come and go); meta names the rare clash.
  function fileOf(f, v) { return "f/" + f + "-" + (v[2] || shardOf(v[0], 4294967296).toString(16)) + ".json"; }
  function isPage(id) { return id < meta.first_article; }
  function fmtDate(d) { return d ? (+d.slice(8, 10)) + " " + MONTHS[+d.slice(5, 7) - 1] + " " + d.slice(0, 4) : "Undated"; }
  function params() {
    var p = {};
    new FormData(form).forEach(function (v, k) { p[k] = String(v); });
    return p;
  }
  // Whether an article is filed under a facet's value (a promise of the test; null: no such value).
  function valueTest(facet, value) {
    var v = (meta.facets[facet] || []).find(function (v) { return v[0] === value; });
    return v ? idsOf(fileOf(facet, v)) : null;
  }
  function filterTests(p) {
    var tests = [];
    FACETS.forEach(function (f) {
      if (p[f] === undefined || p[f] === "") return;
      tests.push(valueTest(f, p[f]) || Promise.resolve(function () { return false; }));
    });
    if (p.year) {
      var r = meta.years[p.year] || [1, 0];
      tests.push(Promise.resolve(function (i) { return i >= r[0] && i <= r[1]; }));
    }
    return Promise.all(tests);
  }
  function idf(df) { return Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5)); }

  // The query's readings: its words, and, when they name an alias (aliases.json: "daesh" -> the tag
  // Islamic State, "kiev" -> the place Kyiv), the same words with the name instead, read among the
  // articles filed under that tag or place: "Daesh" finds the articles tagged Islamic State whose
  // text never says Daesh.
  function readings(all) {
    var out = [], filters = [], i = 0;
    while (i < all.length) {
      var n = Math.min(aliasLength, all.length - i), key = "";
      for (; n > 0; n--) {
        key = all.slice(i, i + n).join(" ");
        if (aliases.has(key)) break;
      }
      if (n) { var to = aliases.get(key); out = out.concat(words(to.name)); filters.push(to); i += n; }
      else out.push(all[i++]);
    }
    return filters.length ? [{ words: all, filters: [] }, { words: out, filters: filters }] : [{ words: all, filters: [] }];
  }
  // Whether an article is filed under one of these tags or places (null: none has a file, take any).
  function filedTest(filters) {
    var files = filters.map(function (to) { return valueTest(to.facet, to.value); }).filter(Boolean);
    if (!files.length) return Promise.resolve(null);
    return Promise.all(files).then(function (tests) {
      return function (id) { return tests.some(function (t) { return t(id); }); };
    });
  }
  // One reading's score for each id it matches: every word and the exact phrase weigh more, and the
  // score is divided by the most those can add, so that readings of different lengths compare.
  function scored(reading) {
    var all = reading.words, both = termsOf(all), terms = both[0], pairs = both[1];
    var top = 2 * (pairs.length ? 4 : 1);
    return Promise.all([Promise.all(terms.map(postings)), Promise.all(pairs.map(postings)),
      reading.filters.length ? filedTest(reading.filters) : Promise.resolve(null)]).then(function (res) {
      var score = new Map(), hits = new Map(), phrase = new Map(), tagged = res[2];
      res[0].forEach(function (post) {
        if (!post) return;
        var w = idf(post.df);
        post.ids.forEach(function (v, id) { score.set(id, (score.get(id) || 0) + w * v); hits.set(id, (hits.get(id) || 0) + 1); });
      });
      res[1].forEach(function (post) {
        if (!post) return;
        var w = idf(post.df);
        post.ids.forEach(function (v, id) { score.set(id, (score.get(id) || 0) + 2 * w * v); phrase.set(id, (phrase.get(id) || 0) + 1); });
      });
      score.forEach(function (s, id) {
        if (tagged && !tagged(id)) { score.delete(id); return; }
        if ((hits.get(id) || 0) === terms.length) s *= 2; // every word
        if (pairs.length && (phrase.get(id) || 0) === pairs.length) s *= 4; // the exact phrase
        score.set(id, (isPage(id) ? s * 0.3 : s) / top); // an article outranks a tag or place page
      });
      return score;
    });
  }
  function search(p) {
    var all = words(p.q || "");
    var filtered = FACETS.some(function (f) { return p[f]; }) || p.year;
    var every = !all.length && filtered ? listOf("f/all.json") : Promise.resolve([]);
    return Promise.all([Promise.all(readings(all).map(scored)), filterTests(p), every])
      .then(function (res) {
        var best = new Map(), tests = res[1];
        res[0].forEach(function (score) {
          score.forEach(function (s, id) { if (!(best.get(id) >= s)) best.set(id, s); });
        });
        var ids;
        if (all.length) {
          ids = Array.from(best.keys());
        } else if (tests.length) {
          ids = res[2].slice().reverse(); // every article, newest first
        } else {
          ids = [];
        }
        ids = ids.filter(function (id) { return tests.every(function (t) { return t(id); }); });
        if (tests.length) ids = ids.filter(function (id) { return !isPage(id); });
        // By date: articles before tag and place pages, undated articles (ids below 0) after the dated ones.
        function rank(id) { return isPage(id) ? 2 : id < 0 ? 1 : 0; }
        // No words, no score: a filter alone lists by date, newest first unless oldest is asked for.
        if (p.sort === "oldest") ids.sort(function (a, b) { return rank(a) - rank(b) || a - b; });
        else if (p.sort === "newest" || !all.length) ids.sort(function (a, b) { return rank(a) - rank(b) || b - a; });
        else ids.sort(function (a, b) { return best.get(b) - best.get(a) || b - a; });
        return ids;
      });
  }
  function docs(ids) {
    return Promise.all(ids.map(function (id) {
      var n = Math.floor(id / meta.chunk);
      return get("d/" + n + ".json").then(function (rows) { return rows[id - n * meta.chunk]; });
    }));
  }
  function item(row) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var url = String(row[1]);
    a.href = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(url) ? "#" : SITE + url;
    a.textContent = row[0];
    li.appendChild(a);
    var small = document.createElement("small");
    small.textContent = row[5] === "a" ? " " + fmtDate(row[2]) + (row[3] ? " · " + row[3] : "") : " " + row[4];
    li.appendChild(small);
    if (row[5] === "a" && row[4]) {
      var s = document.createElement("p");
      s.textContent = row[4];
      li.appendChild(s);
    }
    return li;
  }
  function showMore() {
    var next = ranked.slice(shown.length, shown.length + PAGE);
    shown = shown.concat(next);
    return docs(next).then(function (rows) {
      rows.forEach(function (row) { list.appendChild(item(row)); });
      more.hidden = shown.length >= ranked.length;
    });
  }
  function run() {
    var id = ++runId, t0 = performance.now(), p = params();
    var q = new URLSearchParams();
    Object.keys(p).forEach(function (k) { if (p[k] && !(k === "sort" && p[k] === "relevance")) q.set(k, p[k]); });
    history.replaceState(null, "", q.toString() ? "?" + q.toString() : location.pathname);
    if (printed) printed.textContent = printedAs + (q.toString() ? "?" + q.toString() : "");
    return search(p).then(function (ids) {
      if (id !== runId) return;
      ranked = ids; shown = [];
      list.textContent = "";
      return showMore().then(function () {
        if (id !== runId) return;
        var ms = Math.round(performance.now() - t0);
        root.setAttribute("data-ms", String(ms));
        root.setAttribute("data-at", String(Math.round(performance.now()))); // since the page began to load
        root.setAttribute("data-done", String(id));
        var filters = FACETS.concat(["year"]).filter(function (f) { return p[f]; });
        // The milliseconds are for benchmarks (data-ms), not for readers ("8 results (331 ms)").
        status.textContent = (p.q || ranked.length || filters.length)
          ? ranked.length + " result" + (ranked.length === 1 ? "" : "s") : "";
        if (!ranked.length && (p.q || filters.length)) nothing(p, filters);
      });
    }).catch(function (e) { status.textContent = "Search failed: " + e.message; });
  }
  // Nothing found: say so, and what to try; with filters set, a button that searches without them.
  function nothing(p, filters) {
    status.textContent = "Nothing found" + (p.q ? " for \u201c" + p.q.trim() + "\u201d" : "") +
      (filters.length ? " with " + (filters.length === 1 ? "the filter " : "the filters ") +
        filters.map(function (f) { return f + ": " + p[f]; }).join(", ") + ". " :
        ". Check the spelling, or try fewer or other words.");
    if (!filters.length) return;
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button archive-search__clear";
    clear.textContent = "Search without filters";
    clear.addEventListener("click", function () {
      filters.forEach(function (f) { form.elements[f].value = ""; });
      run();
    });
    status.appendChild(clear);
  }
  function fill(select, values, label) {
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v[0];
      o.textContent = label ? label(v) : v[0] + " (" + v[1] + ")";
      select.appendChild(o);
    });
  }
  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(run, 180); }
  // aliases.json is optional: an index written before it existed still searches, without aliases.
  var aliasFile = get("aliases.json").catch(function () { return {}; });
  Promise.all([get("meta.json"), aliasFile]).then(function (loaded) {
    var m = loaded[0];
    meta = m; stop = new Set(m.stopwords);
    if (layout && layout.shards !== m.shards) layout = null; // a page of another build: meta.json's count
    Object.keys(loaded[1]).forEach(function (facet) { // facet -> value -> its aliases' words
      Object.keys(loaded[1][facet]).forEach(function (value) {
        var at = value.lastIndexOf(", "), name = facet === "place" && at > 0 ? value.slice(0, at) : value; // "Kyiv, Ukraine"
        loaded[1][facet][value].forEach(function (k) {
          aliases.set(k, { facet: facet, value: value, name: name });
          aliasLength = Math.max(aliasLength, k.split(" ").length);
        });
      });
    });
    FACETS.forEach(function (f) { fill(form.elements[f], m.facets[f]); });
    fill(form.elements.year, Object.keys(m.years).sort().reverse().map(function (y) { return [y, 0]; }),
      function (v) { return v[0]; });
    var url = new URLSearchParams(location.search);
    url.forEach(function (v, k) { if (form.elements[k]) form.elements[k].value = v; });
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
    more.addEventListener("click", showMore);
    root.setAttribute("data-ready", "1");
    if (url.toString()) run();
    // Opened without words (the header's magnifier on a narrow phone, the Search tab): the cursor
    // waits in the words box.
    if (!url.get("q")) form.elements.q.focus();
  }).catch(function (e) { status.textContent = "Search index not available: " + e.message; });
})();
