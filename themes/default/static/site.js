/* gongkai: small reading helpers. Classic script, no dependencies; works from
   file:// and over HTTP. */
(function () {
  "use strict";
  // The language switch lands on the same paragraph: carry the #anchor over.
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.lang-switch") : null;
    if (a && location.hash && a.href.indexOf("#") < 0) {
      a.href = a.href + location.hash;
    }
  });
})();
