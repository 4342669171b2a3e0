/* casefile: the search box on every page and the filters on /incidents/.
   No framework, no server: the index is a set of small scripts under search/,
   loaded with <script> elements (which work from file://, where fetch does not)
   only when a reader first uses the box or the filters. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = script.src.replace(/casefile\.js(\?.*)?$/, "");
  var onFile = location.protocol === "file:";
  var S = (window.casefileSearch = window.casefileSearch || {});
  var waiting = {};
  var loaded = {};

  /* Load one index script once; resolve when it has called back. */
  function load(path, key) {
    if (loaded[key]) return Promise.resolve(loaded[key]);
    if (!waiting[key]) {
      waiting[key] = new Promise(function (resolve, reject) {
        S["_" + key] = resolve;
        var s = document.createElement("script");
        s.src = root + path;
        s.async = true;
        s.onerror = function () { reject(new Error("cannot load " + path)); };
        document.head.appendChild(s);
      }).then(function (v) { loaded[key] = v; return v; });
    }
    return waiting[key];
  }
  S.index = function (m) { S._index && S._index(m); };
  S.terms = function (prefix, t) { var f = S["_t:" + prefix]; f && f(t); };
  S.docs = function (n, d) { var f = S["_d:" + n]; f && f(d); };
  S.facets = function (f) { S._facets && S._facets(f); };

  function href(path) {
    var url = root + path;
    return onFile && /\/$/.test(url) ? url + "index.html" : url;
  }

  /* The same normalisation as the index (src/render/search.rs). */
  function tokens(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "")
      .replace(/['\u2019\u2018\u02bc`\u02bb]/g, "").toLowerCase()
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function hex(s) {
    return Array.from(new TextEncoder().encode(s), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function decode(p) {
    var out = [], doc = 0;
    p.split(",").forEach(function (e) {
      doc += parseInt(e.slice(0, -1), 36);
      out.push([doc, +e.slice(-1)]);
    });
    return out;
  }

  /* Documents matching every word of the query (by prefix), best first. */
  function search(query) {
    var words = tokens(query);
    if (!words.length) return Promise.resolve({ words: words, hits: [] });
    return load("search/index.js", "index").then(function (m) {
      return Promise.all(words.map(function (w) {
        var keys = m.shards.filter(function (k) {
          return w.startsWith(k) || (k.startsWith(w) && w.length >= 3);
        });
        return Promise.all(keys.map(function (k) { return load("search/t-" + hex(k) + ".js", "t:" + k); }))
          .then(function (shards) {
            var best = new Map();
            shards.forEach(function (sh) {
              Object.keys(sh).forEach(function (t) {
                if (!t.startsWith(w)) return;
                var bonus = t === w ? 1 : 0;
                decode(sh[t]).forEach(function (d) {
                  var s = d[1] * 2 + bonus;
                  if (!(best.get(d[0]) >= s)) best.set(d[0], s);
                });
              });
            });
            return best;
          });
      })).then(function (per) {
        var hits = [];
        per[0].forEach(function (s, doc) {
          var total = s;
          for (var i = 1; i < per.length; i++) {
            var x = per[i].get(doc);
            if (x === undefined) return;
            total += x;
          }
          hits.push([doc, total]);
        });
        hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return { words: words, hits: hits, manifest: m };
      });
    });
  }
  function docs(ids, m) {
    var shards = Array.from(new Set(ids.map(function (d) { return Math.floor(d / m.per); })));
    return Promise.all(shards.map(function (n) { return load("search/d-" + n + ".js", "d:" + n); }))
      .then(function (lists) {
        var byShard = {};
        shards.forEach(function (n, i) { byShard[n] = lists[i]; });
        return ids.map(function (d) { return byShard[Math.floor(d / m.per)][d % m.per]; });
      });
  }

  var KINDS = { i: "Incident", g: "Group", w: "Weapon type", p: "Page", c: "Country" };
  var SHOWN = 10;

  function setupSearch(box) {
    var input = box.querySelector("input");
    var list = box.querySelector(".search-results");
    var status = box.querySelector(".search-status");
    var seq = 0;
    box.hidden = false;
    function close() { list.hidden = true; list.textContent = ""; }
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
    function run() {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { close(); status.textContent = ""; return; }
      search(q).then(function (r) {
        if (mine !== seq) return;
        var top = r.hits.slice(0, SHOWN);
        if (!top.length) {
          close();
          status.textContent = r.words.join("").length < 2 ? "" : "No results for \u201c" + q + "\u201d.";
          return;
        }
        return docs(top.map(function (h) { return h[0]; }), r.manifest).then(function (ds) {
          if (mine !== seq) return;
          list.textContent = "";
          ds.forEach(function (d) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = href(d[2]);
            var t = document.createElement("span");
            t.className = "result-title";
            t.textContent = d[1];
            var meta = document.createElement("span");
            meta.className = "result-meta";
            meta.textContent = KINDS[d[0]] + " \u00b7 " + d[3];
            a.appendChild(t);
            a.appendChild(meta);
            li.appendChild(a);
            list.appendChild(li);
          });
          list.hidden = false;
          var n = r.hits.length;
          status.textContent = n + " result" + (n === 1 ? "" : "s") + (n > SHOWN ? ", the first " + SHOWN + " shown" : "") + ". Use the down arrow to reach them.";
        });
      }).catch(function () {
        if (mine === seq) status.textContent = "Search is not available: its index could not be loaded.";
      });
    }
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { load("search/index.js", "index").catch(function () {}); }, { once: true });
    box.addEventListener("keydown", function (e) {
      var ls = links(), i = ls.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && ls.length) {
        e.preventDefault();
        ls[Math.min(i + 1, ls.length - 1)].focus();
      } else if (e.key === "ArrowUp" && ls.length) {
        e.preventDefault();
        (i <= 0 ? input : ls[i - 1]).focus();
      } else if (e.key === "Escape") {
        close();
        input.focus();
      } else if (e.key === "Enter" && document.activeElement === input && ls.length) {
        e.preventDefault();
        location.href = ls[0].href;
      }
    });
    box.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); });
    document.addEventListener("click", function (e) { if (!box.contains(e.target)) close(); });
  }

  /* Filters on /incidents/: combinable, counted, kept in the URL's query. */
  var FIELDS = ["group", "weapon", "category", "origin", "country", "year", "confidence"];
  var HIDDEN = ["month", "held", "from", "to"];

  function setupFilters(form) {
    var out = document.getElementById("filter-results");
    var count = form.querySelector(".filter-count");
    var staticList = document.getElementById("incident-list");
    var params = new URLSearchParams(location.search);
    var active = FIELDS.concat(HIDDEN).some(function (k) { return params.get(k); });
    var opened = false;
    form.hidden = false;
    function open() {
      if (opened) return Promise.resolve();
      opened = true;
      count.textContent = "Loading the filters\u2026";
      return load("search/facets.js", "facets").then(function (f) { fill(form, f); apply(f, true); })
        .catch(function () { count.textContent = "The filters could not be loaded."; });
    }
    form.addEventListener("focusin", open);
    form.addEventListener("toggle", open, true);
    form.addEventListener("change", function () { load("search/facets.js", "facets").then(function (f) { apply(f, false); }); });
    form.addEventListener("reset", function () {
      setTimeout(function () { load("search/facets.js", "facets").then(function (f) { apply(f, false); }); });
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    if (active) {
      var d = form.querySelector("details");
      if (d) d.open = true;
      open();
    }

    function apply(f, fromUrl) {
      var want = {};
      FIELDS.forEach(function (k) {
        var v = fromUrl ? params.get(k) || "" : form.elements[k].value;
        if (fromUrl) form.elements[k].value = v;
        if (v) want[k] = v;
      });
      HIDDEN.forEach(function (k) { if (fromUrl && params.get(k)) want[k] = params.get(k); else if (!fromUrl && S._keep && S._keep[k]) want[k] = S._keep[k]; });
      if (fromUrl) S._keep = want;
      var idx = indexes(f, want);
      var rows = f.incidents.filter(function (row) { return matches(f, row, idx); });
      var q = new URLSearchParams();
      Object.keys(want).forEach(function (k) { q.set(k, want[k]); });
      var qs = q.toString();
      history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
      if (!qs) {
        out.hidden = true;
        out.textContent = "";
        if (staticList) staticList.hidden = false;
        count.textContent = f.incidents.length + " incidents. Choose filters to narrow them.";
        return;
      }
      if (staticList) staticList.hidden = true;
      count.textContent = rows.length + " of " + f.incidents.length + " incidents match.";
      render(rows);
    }
    function render(rows) {
      out.hidden = false;
      out.textContent = "";
      var ol = document.createElement("ol");
      ol.className = "compact-list";
      var shown = 0;
      function more() {
        rows.slice(shown, shown + 100).forEach(function (r) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = href("incidents/" + r[1] + "/");
          a.textContent = r[2];
          var meta = document.createElement("span");
          meta.className = "result-meta";
          meta.textContent = " " + r[3];
          li.appendChild(a);
          li.appendChild(meta);
          ol.appendChild(li);
        });
        shown = Math.min(rows.length, shown + 100);
        btn.hidden = shown >= rows.length;
      }
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = "Show more";
      btn.addEventListener("click", more);
      out.appendChild(ol);
      out.appendChild(btn);
      more();
    }
  }

  function fill(form, f) {
    function options(name, items, label) {
      var sel = form.elements[name];
      if (!sel || sel.options.length > 1) return;
      items.forEach(function (it, i) {
        var o = document.createElement("option");
        o.value = it[0];
        o.textContent = label ? label(it, i) : it[1];
        sel.appendChild(o);
      });
    }
    options("group", f.groups);
    options("weapon", f.weapons);
    options("category", f.categories);
    options("origin", f.origins);
    options("country", f.countries);
    options("confidence", f.confidence);
    var years = Array.from(new Set(f.incidents.map(function (r) { return r[0].split("|")[3]; }))).sort().reverse();
    options("year", years.map(function (y) { return [y, y]; }));
  }

  /* Filter values as indices into the facet tables. */
  function indexes(f, want) {
    function find(list, v) { for (var i = 0; i < list.length; i++) if (list[i][0] === v) return i; return -2; }
    return {
      group: want.group ? find(f.groups, want.group) : -1,
      held: want.held ? find(f.groups, want.held) : -1,
      from: want.from ? find(f.groups, want.from) : -1,
      to: want.to ? find(f.groups, want.to) : -1,
      weapon: want.weapon ? find(f.weapons, want.weapon) : -1,
      category: want.category ? find(f.categories, want.category) : -1,
      origin: want.origin ? find(f.origins, want.origin) : -1,
      country: want.country ? find(f.countries, want.country) : -1,
      confidence: want.confidence ? find(f.confidence, want.confidence) : -1,
      year: want.year || "",
      month: want.month || ""
    };
  }

  function matches(f, row, x) {
    var p = row[0].split("|");
    var b36 = function (s) { return s === "-" ? -1 : parseInt(s, 36); };
    if (x.country !== -1 && b36(p[2]) !== x.country) return false;
    if (x.year && p[3] !== x.year) return false;
    if (x.month && p[4] !== x.month) return false;
    if (x.confidence !== -1 && +p[5] !== x.confidence) return false;
    var groups = p[0] ? p[0].split(".").map(b36) : [];
    var obs = p[1] ? p[1].split(" ").map(function (o) { return o.split(".").map(b36); }) : [];
    if (x.group !== -1 && groups.indexOf(x.group) < 0 &&
        !obs.some(function (o) { return o[2] === x.group || o[3] === x.group; })) return false;
    var needObs = x.weapon !== -1 || x.category !== -1 || x.origin !== -1 || x.held !== -1 || x.from !== -1 || x.to !== -1;
    if (!needObs) return true;
    /* Weapon, category, origin, holder and custody must hold of one observation. */
    return obs.some(function (o) {
      var w = f.weapons[o[0]];
      if (!w) return false;
      if (x.weapon !== -1 && o[0] !== x.weapon) return false;
      if (x.category !== -1 && w[2] !== x.category) return false;
      if (x.origin !== -1 && o[1] !== x.origin) return false;
      if (x.from !== -1 && o[2] !== x.from) return false;
      if (x.to !== -1 && o[3] !== x.to) return false;
      if (x.held !== -1 && o.slice(4).indexOf(x.held) < 0) return false;
      return true;
    });
  }

  function init() {
    var box = document.getElementById("site-search");
    if (box) setupSearch(box);
    var form = document.getElementById("filters");
    if (form) setupFilters(form);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
