// Progressive enhancements of the stackshelf theme: the dark-mode toggle,
// copy buttons on code blocks and heading anchors. Every page works without
// this script; nothing here is needed to read or navigate.
(function () {
  "use strict";

  var root = document.documentElement;
  var storageKey = "stackshelf-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function isDark() {
    var t = root.getAttribute("data-theme");
    if (t === "dark" || t === "light") {
      return t === "dark";
    }
    return !!(darkQuery && darkQuery.matches);
  }

  function setupThemeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) {
      return;
    }
    // The button names the scheme a click switches to, like a link: in
    // dark mode it offers "Light mode".
    var label = button.querySelector(".theme-toggle-label") || button;
    var sync = function () {
      var next = isDark() ? "Light mode" : "Dark mode";
      label.textContent = next;
      button.title = "Switch to " + next.toLowerCase();
    };
    button.hidden = false;
    sync();
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(storageKey, next);
      } catch (e) {
        // The choice then lasts for this page only.
      }
      sync();
    });
    if (darkQuery && darkQuery.addEventListener) {
      darkQuery.addEventListener("change", sync);
    }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "copy-buffer";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  function setupCopyButtons() {
    var blocks = document.querySelectorAll(".post-body pre");
    Array.prototype.forEach.call(blocks, function (pre) {
      var box = pre.closest(".code");
      if (!box) {
        box = document.createElement("div");
        box.className = "code";
        pre.parentNode.insertBefore(box, pre);
        box.appendChild(pre);
      }
      if (box.querySelector(".copy-button")) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      var status = document.createElement("span");
      status.className = "copy-status visually-hidden";
      status.setAttribute("role", "status");
      var timer = 0;
      var show = function (text) {
        button.textContent = text;
        status.textContent = text === "Copy" ? "" : text;
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          button.textContent = "Copy";
          status.textContent = "";
        }, 2000);
      };
      button.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent.replace(/\n$/, "")).then(function () {
          show("Copied");
        }, function () {
          show("Copy failed");
        });
      });
      box.classList.add("has-copy");
      box.appendChild(button);
      box.appendChild(status);
    });
  }

  function setupHeadingAnchors() {
    var headings = document.querySelectorAll(".post-body h1[id], .post-body h2[id], .post-body h3[id], .post-body h4[id], .post-body h5[id], .post-body h6[id]");
    Array.prototype.forEach.call(headings, function (h) {
      if (h.querySelector("a.heading-anchor, a.anchor")) {
        return;
      }
      var a = document.createElement("a");
      a.className = "heading-anchor";
      a.href = "#" + h.id;
      a.textContent = "#";
      a.setAttribute("aria-label", "Link to this section: " + h.textContent);
      h.appendChild(a);
    });
  }

  // relativeTime says how long ago t (a Date) was, in the reader's
  // language: "3 days ago". The page states the exact time in UTC; this
  // only adds the relative form, which a static page cannot know.
  function relativeTime(t, now) {
    var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
    var secs = (t.getTime() - now.getTime()) / 1000;
    if (!window.Intl || !Intl.RelativeTimeFormat) {
      return "";
    }
    var fmt = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(secs) >= units[i][1]) {
        return fmt.format(Math.round(secs / units[i][1]), units[i][0]);
      }
    }
    return fmt.format(0, "minute");
  }

  function setupRelativeTimes() {
    var now = new Date();
    var times = document.querySelectorAll(".post-card time[datetime], .comment time[datetime], .article-date time[datetime]");
    Array.prototype.forEach.call(times, function (el) {
      var t = new Date(el.getAttribute("datetime"));
      var text = isNaN(t.getTime()) ? "" : relativeTime(t, now);
      if (text && !(el.nextSibling && el.nextSibling.className === "time-ago")) {
        var span = document.createElement("span");
        span.className = "time-ago";
        span.textContent = " (" + text + ")";
        el.parentNode.insertBefore(span, el.nextSibling);
      }
    });
  }

  // setupTagFilter shows the tag index's filter box (hidden without
  // script) and hides the tags whose name does not contain what is typed.
  function setupTagFilter() {
    var input = document.getElementById("tag-filter");
    if (!input) {
      return;
    }
    var box = input.closest(".tag-filter");
    var status = box.querySelector(".tag-filter-status");
    var cards = Array.prototype.slice.call(document.querySelectorAll(".tag-grid .tag-card"));
    var names = cards.map(function (card) {
      var tag = card.querySelector(".tag");
      return tag ? tag.textContent.toLowerCase() : "";
    });
    box.hidden = false;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      cards.forEach(function (card, i) {
        var match = q === "" || names[i].indexOf(q) >= 0;
        card.hidden = !match;
        if (match) {
          shown++;
        }
      });
      status.textContent = q === "" ? "" : shown + " of " + cards.length + " tags";
    });
  }

  setupThemeToggle();
  setupTagFilter();
  setupCopyButtons();
  setupHeadingAnchors();
  setupRelativeTimes();
})();
