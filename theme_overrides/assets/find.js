// "Find articles": filter the archive by words, tag, location and date range, all in the browser.
// Article text is only ever inserted with textContent: it is data, never markup.
(function () {
  "use strict";
  function ready(fn) {
    if (window.document$ && window.document$.subscribe) { window.document$.subscribe(fn); }
    else if (document.readyState !== "loading") { fn(); }
    else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function norm(s) { return (s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  ready(function () {
    var root = document.getElementById("archive-find");
    if (!root || root.dataset.ready) { return; }
    root.dataset.ready = "1";
    var base = root.dataset.base || "./";
    var q = root.querySelector("[name=q]"), tag = root.querySelector("[name=tag]"),
        loc = root.querySelector("[name=location]"), from = root.querySelector("[name=from]"),
        to = root.querySelector("[name=to]"), out = root.querySelector(".archive-find__results"),
        count = root.querySelector(".archive-find__count");
    fetch(base + "articles.json").then(function (r) { return r.json(); }).then(function (data) {
      var articles = data.articles;
      function fill(select, values) {
        values.forEach(function (v) { var o = document.createElement("option"); o.value = v; o.textContent = v; select.appendChild(o); });
      }
      fill(tag, data.tags); fill(loc, data.locations);
      var params = new URLSearchParams(location.search);
      q.value = params.get("q") || ""; tag.value = params.get("tag") || ""; loc.value = params.get("location") || "";
      from.value = params.get("from") || ""; to.value = params.get("to") || "";
      var shown = null;
      function render() {
        // "change" follows "input" when a field loses focus (e.g. on a click on a result):
        // redraw only when the filters really changed, so the clicked link stays in place.
        var state = [q.value, tag.value, loc.value, from.value, to.value].join("\u0000");
        if (state === shown) { return; }
        shown = state;
        var words = norm(q.value).split(/\s+/).filter(Boolean);
        var hits = articles.filter(function (a) {
          if (tag.value && a.tags.indexOf(tag.value) < 0) { return false; }
          if (loc.value && a.places.indexOf(loc.value) < 0) { return false; }
          if (from.value && (!a.date || a.date < from.value)) { return false; }
          if (to.value && (!a.date || a.date > to.value)) { return false; }
          var hay = norm([a.title, a.summary, a.source, a.tags.join(" "), a.places.join(" ")].join(" "));
          return words.every(function (w) { return hay.indexOf(w) >= 0; });
        });
        out.replaceChildren();
        hits.slice(0, 500).forEach(function (a) {
          var li = document.createElement("li"), link = document.createElement("a"), meta = document.createElement("small");
          link.href = base + a.url; link.textContent = a.title;
          meta.textContent = " " + (a.date || "undated") + (a.source ? " · " + a.source : "");
          li.appendChild(link); li.appendChild(meta); out.appendChild(li);
        });
        count.textContent = hits.length + " of " + articles.length + " articles";
        var p = new URLSearchParams();
        [["q", q], ["tag", tag], ["location", loc], ["from", from], ["to", to]].forEach(function (kv) { if (kv[1].value) { p.set(kv[0], kv[1].value); } });
        history.replaceState(null, "", p.toString() ? "?" + p.toString() : location.pathname);
      }
      [q, tag, loc, from, to].forEach(function (el) { el.addEventListener("input", render); el.addEventListener("change", render); });
      render();
    });
  });
})();
