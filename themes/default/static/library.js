/* The library's filters and sorting: a plain script over the rows the page
   already holds (each row's data-* attributes carry its published 分类,
   发文机关, year, 文种 and dates), so it works opened from disk. Without it
   the page is the full list grouped by year. The choices are kept in the
   address (?cat=…&org=…&year=…&genre=…&sort=…), so a filtered list can be
   bookmarked or shared, and the language switch carries them over. */
(function () {
  "use strict";
  var form = document.getElementById("lib-filters");
  var list = document.getElementById("lib-list");
  if (!form || !list) return;
  var rows = Array.prototype.slice.call(list.querySelectorAll("li.doc"));
  var fields = ["cat", "org", "year", "genre", "sort"];
  var select = {};
  fields.forEach(function (f) { select[f] = form.elements[f]; });
  var count = document.getElementById("lib-count");
  var none = document.getElementById("lib-none");

  // One flat list replaces the year groups: sorting and filtering then
  // work across years.
  var flat = document.createElement("ol");
  flat.className = "doc-list lib-flat";
  flat.id = "lib-flat";
  rows.forEach(function (r) { flat.appendChild(r); });
  list.hidden = true;
  list.parentNode.insertBefore(flat, list);
  var years = document.getElementById("lib-years");
  if (years) years.hidden = true;
  form.hidden = false;
  // The choices open on a wide screen, or when the address names some; on
  // a phone they wait behind their summary, so the list starts on the
  // first screen.
  var details = document.getElementById("lib-details");

  function has(value, key) {
    // 分类 paths: a row is under `key` when one of its paths is `key` or
    // starts with `key\`.
    var paths = value ? value.split("|") : [];
    for (var i = 0; i < paths.length; i++) {
      if (paths[i] === key || paths[i].indexOf(key + "\\") === 0) return true;
    }
    return false;
  }

  function keep(r, f) {
    var d = r.dataset;
    return (!f.cat || has(d.cat, f.cat)) &&
      (!f.org || d.org === f.org) &&
      (!f.year || d.year === f.year) &&
      (!f.genre || d.genre === f.genre);
  }

  function order(sort) {
    var key = sort.indexOf("pub") === 0 ? "pub" : "date";
    var asc = /-asc$/.test(sort);
    var sorted = rows.slice();
    sorted.sort(function (a, b) {
      var x = a.dataset[key] || "", y = b.dataset[key] || "";
      // Undated rows last in either order.
      if (!x !== !y) return x ? -1 : 1;
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (c === 0) return rows.indexOf(a) - rows.indexOf(b);
      return asc ? c : -c;
    });
    return sorted;
  }

  function state() {
    var f = {};
    fields.forEach(function (k) { f[k] = select[k] ? select[k].value : ""; });
    return f;
  }

  function query(f) {
    var parts = [];
    fields.forEach(function (k) {
      if (f[k] && !(k === "sort" && f[k] === "date-desc")) {
        parts.push(k + "=" + encodeURIComponent(f[k]));
      }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function apply() {
    var f = state();
    var shown = 0;
    order(f.sort || "date-desc").forEach(function (r) {
      var k = keep(r, f);
      r.hidden = !k;
      if (k) shown++;
      flat.appendChild(r);
    });
    count.textContent = (count.getAttribute("data-template") || "{n} / {total}")
      .replace("{n}", shown).replace("{total}", rows.length);
    none.hidden = shown !== 0;
    var q = query(f);
    try {
      history.replaceState(null, "", location.pathname + q + location.hash);
    } catch (e) { /* some browsers refuse it on file:// pages */ }
    var links = document.querySelectorAll("a.lang-switch");
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var base = a.getAttribute("data-href") || a.getAttribute("href");
      a.setAttribute("data-href", base);
      a.setAttribute("href", base.split("?")[0] + q);
    }
  }

  // The address's choices, where the page offers them.
  var params = {};
  location.search.replace(/^\?/, "").split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i > 0) {
      try {
        params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
      } catch (e) { /* a malformed value is ignored */ }
    }
  });
  fields.forEach(function (k) {
    var s = select[k];
    if (!s || params[k] === undefined) return;
    for (var i = 0; i < s.options.length; i++) {
      if (s.options[i].value === params[k]) { s.selectedIndex = i; break; }
    }
  });

  var chosen = fields.some(function (k) { return params[k] !== undefined; });
  if (details && (chosen || (window.matchMedia && window.matchMedia("(min-width: 40rem)").matches))) {
    details.open = true;
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
})();
