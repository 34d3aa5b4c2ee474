// Applies the reader's saved colour scheme before the page is painted, so a
// dark-mode reader never sees a flash of the light theme. It is loaded
// synchronously in <head>; site.js wires the toggle button.
(function () {
  "use strict";
  try {
    var t = window.localStorage.getItem("stackshelf-theme");
    if (t === "dark" || t === "light") {
      document.documentElement.setAttribute("data-theme", t);
    }
  } catch (e) {
    // Storage may be disabled; the system preference still applies.
  }
})();
