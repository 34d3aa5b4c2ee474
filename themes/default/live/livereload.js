// Live reload for stackshelf serve --watch. The server injects this file
// (and livereload.css) into the HTML pages it serves in watch mode only; a
// built site never references it. It works under the site's strict CSP: it
// is an external same-origin script, it sets no inline style and it writes
// no markup, only text.
//
// The server sends Server-Sent Events on /_live/events:
//   state  {build, error}  on connect and after a failed build
//   reload {build, paths, removed, all}  after a build has been committed
// A page reloads only when its own file changed (or a script, or "all");
// a changed stylesheet is swapped in place; an error shows an overlay on
// every open page until the next good build.
(() => {
  "use strict";
  if (typeof EventSource === "undefined") return;

  const overlayID = "stackshelf-live-overlay";
  const here = sitePath(location.pathname);
  // The build the page was served from (the server writes it into this
  // script's URL): a build that ends before the stream opens still counts.
  let build = -1;
  if (document.currentScript) {
    const n = new URL(document.currentScript.src).searchParams.get("build");
    if (n !== null && /^\d+$/.test(n)) build = Number(n);
  }

  // sitePath turns a URL path into the site-relative file it names.
  function sitePath(p) {
    let rel = p.replace(/^\/+/, "");
    try { rel = decodeURIComponent(rel); } catch (e) { /* keep it raw */ }
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    return rel;
  }

  function showError(msg) {
    let box = document.getElementById(overlayID);
    if (!msg) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = overlayID;
      box.setAttribute("role", "alert");
      const title = document.createElement("p");
      title.className = "stackshelf-live-title";
      title.textContent = "Build failed: still showing the last good site. Fix the file and save.";
      const pre = document.createElement("pre");
      pre.className = "stackshelf-live-error";
      const close = document.createElement("button");
      close.type = "button";
      close.className = "stackshelf-live-close";
      close.textContent = "Hide";
      close.addEventListener("click", () => box.remove());
      box.append(title, pre, close);
      (document.body || document.documentElement).append(box);
    }
    box.querySelector("pre").textContent = msg;
  }

  // reloadPage reloads the page. A question whose title changed has a new
  // address and its old one is gone: then it goes to the question's short
  // link, which leads to the new address.
  function reloadPage(removed) {
    const m = here.match(/^questions\/(\d+)\/[^/]+\/index\.html$/);
    if (m && removed.includes(here)) {
      location.replace("/q/" + m[1] + "/index.html");
      return;
    }
    location.reload();
  }

  function reloadStyles(changed, n) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const u = new URL(link.href);
      if (u.origin !== location.origin || !changed.includes(sitePath(u.pathname))) continue;
      u.searchParams.set("live", String(n));
      link.href = u.href;
    }
  }

  const es = new EventSource("/_live/events");
  es.addEventListener("state", (e) => {
    const s = JSON.parse(e.data);
    if (build >= 0 && s.build !== build) {
      // Builds happened since the page was served or while the stream
      // was down (a restart of the server, a dropped connection): which
      // pages changed is unknown.
      location.reload();
      return;
    }
    build = s.build;
    showError(s.error || "");
  });
  es.addEventListener("reload", (e) => {
    const r = JSON.parse(e.data);
    build = r.build;
    showError("");
    const paths = r.paths || [];
    if (r.all || paths.includes(here) || paths.some((p) => p.endsWith(".js"))) {
      reloadPage(r.removed || []);
      return;
    }
    const css = paths.filter((p) => p.endsWith(".css"));
    if (css.length) reloadStyles(css, r.build);
  });
})();
