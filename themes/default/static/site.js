/* gongkai: reading aids and small helpers. A classic script with no
   dependencies, loaded in <head> so that a reader's settings apply before the
   page is drawn; works from file:// and over HTTP.

   Reading aids: text size (1, 2, 3), high contrast, senior (elder) mode. They
   are classes on <html> (ts-1/ts-2/ts-3, hc, elder) and are remembered in
   localStorage under "gongkai.reading". Where localStorage is missing or
   throws (private windows, some file:// setups, storage turned off), they are
   also carried in window.name, which lasts while the tab goes from page to
   page; and failing both, they still work on the page itself.

   The aids sit behind one button (.aids-toggle, aria-expanded) that shows
   and hides their panel (#reading-aids); Escape closes it. In senior mode
   the text is at the largest size: the 特大 / Largest button is pressed and
   the smaller two are disabled, so the pressed button is always the size
   in effect. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gongkai.reading";
  var NAME = KEY + "=";

  function parse(raw) {
    try {
      var s = raw ? JSON.parse(raw) : null;
      return s && typeof s === "object" ? s : null;
    } catch (e) { return null; }
  }
  function fromStorage() {
    try { return parse(window.localStorage.getItem(KEY)); } catch (e) { return null; }
  }
  function fromName() {
    var n = "";
    try { n = String(window.name || ""); } catch (e) { /* no window.name */ }
    return n.indexOf(NAME) === 0 ? parse(n.slice(NAME.length)) : null;
  }
  function clean(s) {
    var size = Number(s && s.size);
    return {
      size: size === 2 || size === 3 ? size : 1,
      contrast: !!(s && s.contrast),
      elder: !!(s && s.elder),
      t: Number(s && s.t) || 0
    };
  }
  // The newer of the two records wins (window.name may be newer where each
  // file:// page gets storage of its own).
  function load() {
    var a = fromStorage(), b = fromName();
    if (a && b) { return clean(Number(b.t) > Number(a.t) ? b : a); }
    return clean(a || b);
  }
  function save(s) {
    s.t = new Date().getTime();
    var raw = JSON.stringify(s);
    try { window.localStorage.setItem(KEY, raw); } catch (e) { /* window.name below */ }
    try {
      // Only take window.name over when nobody else uses it.
      if (!window.name || String(window.name).indexOf(NAME) === 0) { window.name = NAME + raw; }
    } catch (e) { /* this page only */ }
  }
  function apply(s) {
    var c = root.classList;
    c.remove("ts-1", "ts-2", "ts-3");
    c.add("ts-" + s.size);
    if (s.contrast) { c.add("hc"); } else { c.remove("hc"); }
    if (s.elder) { c.add("elder"); } else { c.remove("elder"); }
  }
  // The size in effect: senior mode's text is the largest size.
  function shownSize(s) { return s.elder ? 3 : s.size; }
  function sync() {
    var buttons = document.querySelectorAll("[data-aid]");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i], aid = b.getAttribute("data-aid"), on;
      if (aid === "size") {
        var v = Number(b.getAttribute("data-value"));
        on = shownSize(state) === v;
        b.disabled = !!state.elder && v < 3;
      } else { on = !!state[aid]; }
      b.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }
  function panel(open, focusBack) {
    var t = document.querySelector(".aids-toggle");
    var p = document.getElementById("reading-aids");
    if (!t || !p) { return; }
    t.setAttribute("aria-expanded", open ? "true" : "false");
    p.hidden = !open;
    if (!open && focusBack) { t.focus(); }
  }

  var state = load();
  root.classList.add("js");
  apply(state);

  // A change made in another tab or window of the site.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) { state = load(); apply(state); sync(); }
  });
  // Coming back with the Back button can show a page kept from before.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) { state = load(); apply(state); sync(); }
  });

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!t || !t.closest) { return; }
    var toggle = t.closest(".aids-toggle");
    if (toggle) {
      panel(toggle.getAttribute("aria-expanded") !== "true", false);
      return;
    }
    var b = t.closest("[data-aid]");
    if (b) {
      var aid = b.getAttribute("data-aid");
      if (aid === "size") {
        if (b.disabled) { return; }
        state.size = Number(b.getAttribute("data-value"));
      }
      else if (aid === "contrast" || aid === "elder") { state[aid] = !state[aid]; }
      save(state);
      apply(state);
      sync();
      return;
    }
    // The language switch lands on the same paragraph: carry the #anchor.
    var a = t.closest("a.lang-switch");
    if (a && location.hash && a.href.indexOf("#") < 0) {
      a.href = a.href + location.hash;
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" && e.key !== "Esc") { return; }
    var p = document.getElementById("reading-aids");
    if (p && !p.hidden) { panel(false, p.contains(document.activeElement)); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", sync);
  } else {
    sync();
  }
})();
