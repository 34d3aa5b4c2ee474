// Static search: the header search box on every page, and on the search page
// an engine that ranks like the site's bleve index. It loads the export in
// search/ (see package search/export) as classic scripts, so it works from
// file:// and from any web host: no fetch, no modules, no workers.
//
// Scoring reproduces bleve's BM25 for the query-string rewrite of the CLI:
// every word becomes title^3 | body | code^0.5 (fields from the manifest),
// the words are OR-ed, "+word" is required, "-word" excluded, tag:x filters;
// scores use bleve's idf, average field length, query norm and coord, with
// the same floating-point operations, and ties go by document id.
(function () {
  "use strict";

  var K1 = 1.2;
  var B = 0.75;

  // ---- loading ---------------------------------------------------------

  var loaded = {};
  var waiting = {};
  var base = "";

  window.KBSearch = {
    add: function (name, data) {
      loaded[name] = data;
      var cbs = waiting[name] || [];
      delete waiting[name];
      cbs.forEach(function (cb) { cb(data); });
    }
  };

  // load resolves with the data of search/<name>.js, or null when the file
  // cannot be loaded.
  function load(name) {
    return new Promise(function (resolve) {
      if (Object.prototype.hasOwnProperty.call(loaded, name)) {
        resolve(loaded[name]);
        return;
      }
      if (waiting[name]) {
        waiting[name].push(resolve);
        return;
      }
      waiting[name] = [resolve];
      var s = document.createElement("script");
      s.src = base + name + ".js";
      s.onerror = function () {
        var cbs = waiting[name] || [];
        delete waiting[name];
        loaded[name] = null;
        cbs.forEach(function (cb) { cb(null); });
      };
      document.head.appendChild(s);
    });
  }

  // ---- analysis (bleve's "en" analyzer and the code analyzer) ----------

  var reLetter = /[\p{L}\p{Nl}]/u;
  var reIdeo = /[\p{Script=Han}\p{Script=Hiragana}]/u;
  var reKatakana = /\p{Script=Katakana}/u;
  var reNumeric = /\p{Nd}/u;
  var reExtend = /[\p{M}\p{Cf}\u200d]/u;
  var midLetter = ":\u00b7\u0387\u05f4\u2027\ufe13\ufe55\uff1a";
  var midNum = ",;\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b";
  var midNumLet = ".'\u2018\u2019\u2024\ufe52\uff07\uff0e";
  var extendNumLet = "_\u203f\u2040\u2054\ufe33\ufe34\ufe4d\ufe4e\ufe4f\uff3f";

  function charClass(c) {
    if (reExtend.test(c)) { return "x"; }
    if (reIdeo.test(c)) { return "i"; }
    if (reKatakana.test(c)) { return "k"; }
    if (reLetter.test(c)) { return "a"; }
    if (reNumeric.test(c)) { return "n"; }
    if (midLetter.indexOf(c) >= 0) { return "ml"; }
    if (midNum.indexOf(c) >= 0) { return "mn"; }
    if (midNumLet.indexOf(c) >= 0) { return "mb"; }
    if (extendNumLet.indexOf(c) >= 0) { return "e"; }
    return "o";
  }

  // words splits text into words by the rules of Unicode's word boundaries
  // (UAX #29) that matter for Latin text, keeping only words with a letter
  // or digit, with their UTF-16 offsets.
  function words(text) {
    var cs = Array.from(text);
    var cls = cs.map(charClass);
    var out = [];
    var cur = null;
    var off = 0;
    var offs = [];
    for (var i = 0; i < cs.length; i++) { offs.push(off); off += cs[i].length; }
    offs.push(off);
    function next(j) { while (j < cs.length && cls[j] === "x") { j++; } return j; }
    function joins(prev, i) {
      var c = cls[i];
      var p = cls[prev];
      if (p === "a" && c === "a") { return true; }
      if ((p === "a" || p === "n") && (c === "a" || c === "n")) { return true; }
      if (p === "k" && c === "k") { return true; }
      if ((p === "a" || p === "n" || p === "k" || p === "e") && c === "e") { return true; }
      if (p === "e" && (c === "a" || c === "n" || c === "k")) { return true; }
      return false;
    }
    var last = -1;
    for (var i = 0; i < cs.length; i++) {
      var c = cls[i];
      if (c === "x") {
        if (cur) { cur.end = offs[i + 1]; }
        continue;
      }
      if (cur && last >= 0) {
        if (joins(last, i)) {
          cur.end = offs[i + 1]; last = i; continue;
        }
        var j = next(i + 1);
        if (j < cs.length && (c === "ml" || c === "mb") && cls[last] === "a" && cls[j] === "a") {
          cur.end = offs[j + 1]; last = j; i = j; continue;
        }
        if (j < cs.length && (c === "mn" || c === "mb") && cls[last] === "n" && cls[j] === "n") {
          cur.end = offs[j + 1]; last = j; i = j; continue;
        }
      }
      if (cur) { out.push(cur); cur = null; last = -1; }
      if (c === "a" || c === "n" || c === "k" || c === "e" || c === "i") {
        cur = { start: offs[i], end: offs[i + 1], word: true };
        last = i;
        if (c === "i") { out.push(cur); cur = null; last = -1; }
      }
    }
    if (cur) { out.push(cur); }
    return out.filter(function (w) { return w.word; }).map(function (w) {
      return { start: w.start, end: w.end, text: text.slice(w.start, w.end) };
    });
  }

  function lower(s) {
    var out = "";
    var cs = Array.from(s);
    for (var i = 0; i < cs.length; i++) {
      var c = cs[i];
      if (c === "\u0130") { out += "i"; continue; } // Go's unicode.ToLower
      if (c === "\u03a3") { out += i === cs.length - 1 && i > 0 ? "\u03c2" : "\u03c3"; continue; }
      out += c.toLowerCase();
    }
    return out;
  }

  function possessive(w) {
    var cs = Array.from(w);
    var n = cs.length;
    if (n >= 2 && (cs[n - 1] === "s" || cs[n - 1] === "S") && "'\u2019\uff07".indexOf(cs[n - 2]) >= 0) {
      return cs.slice(0, n - 2).join("");
    }
    return w;
  }

  // The Porter stemmer as bleve's go-porterstemmer applies it.
  function cons(s, i) {
    var c = s[i];
    if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") { return false; }
    if (c === "y") { return i === 0 ? true : !cons(s, i - 1); }
    return true;
  }
  function measure(s) {
    var n = s.length;
    var m = 0;
    var i = 0;
    if (!n) { return 0; }
    while (cons(s, i)) { i++; if (i >= n) { return m; } }
    while (i < n) {
      while (!cons(s, i)) { i++; if (i >= n) { return m; } }
      while (cons(s, i)) { i++; if (i >= n) { return m + 1; } }
      m++;
    }
    return m;
  }
  function ends(s, suf) {
    if (s.length <= suf.length) { return false; }
    for (var i = 0; i < suf.length; i++) {
      if (s[s.length - suf.length + i] !== suf[i]) { return false; }
    }
    return true;
  }
  function vowelIn(s) { for (var i = 0; i < s.length; i++) { if (!cons(s, i)) { return true; } } return false; }
  function dbl(s) { var n = s.length; return n >= 2 && s[n - 1] === s[n - 2] && cons(s, n - 1); }
  function cvc(s) { var n = s.length; return n >= 3 && cons(s, n - 3) && !cons(s, n - 2) && cons(s, n - 1); }
  function step1b(s, suf) {
    var stem = s.slice(0, s.length - suf.length);
    if (!vowelIn(stem)) { return s; }
    var c = stem[stem.length - 1];
    if (ends(stem, ["a", "t"]) || ends(stem, ["b", "l"]) || ends(stem, ["i", "z"])) { return stem.concat(["e"]); }
    if (c !== "l" && c !== "s" && c !== "z" && dbl(stem)) { return stem.slice(0, -1); }
    if (measure(stem) === 1 && cvc(stem) && c !== "w" && c !== "x" && c !== "y") { return stem.concat(["e"]); }
    return stem;
  }
  function rule(s, pairs, minM) {
    for (var i = 0; i < pairs.length; i += 2) {
      var suf = Array.from(pairs[i]);
      if (ends(s, suf)) {
        var stem = s.slice(0, s.length - suf.length);
        if (measure(stem) > minM && (pairs[i] !== "ion" || stem[stem.length - 1] === "s" || stem[stem.length - 1] === "t")) {
          return stem.concat(Array.from(pairs[i + 1]));
        }
        return s;
      }
    }
    return s;
  }
  var step2 = ["ational", "ate", "tional", "tion", "enci", "ence", "anci", "ance", "izer", "ize", "bli", "ble",
    "alli", "al", "entli", "ent", "eli", "e", "ousli", "ous", "ization", "ize", "ation", "ate", "ator", "ate",
    "alism", "al", "iveness", "ive", "fulness", "ful", "ousness", "ous", "aliti", "al", "iviti", "ive",
    "biliti", "ble", "logi", "log"];
  var step3 = ["icate", "ic", "ative", "", "alize", "al", "iciti", "ic", "ical", "ic", "ful", "", "ness", ""];
  var step4 = ["al", "", "ance", "", "ence", "", "er", "", "ic", "", "able", "", "ible", "", "ant", "", "ement", "",
    "ment", "", "ent", "", "ion", "", "ou", "", "ism", "", "ate", "", "iti", "", "ous", "", "ive", "", "ize", ""];
  function stem(w) {
    var s = Array.from(w);
    if (s.length <= 2) { return w; }
    if (ends(s, ["s", "s", "e", "s"]) || ends(s, ["i", "e", "s"])) { s = s.slice(0, -2); }
    else if (ends(s, ["s", "s"])) { /* keep */ }
    else if (ends(s, ["s"])) { s = s.slice(0, -1); }
    if (ends(s, ["e", "e", "d"])) { if (measure(s.slice(0, -3)) > 0) { s = s.slice(0, -1); } }
    else if (ends(s, ["e", "d"])) { s = step1b(s, ["e", "d"]); }
    else if (ends(s, ["i", "n", "g"])) { s = step1b(s, ["i", "n", "g"]); }
    if (s.length >= 2 && vowelIn(s.slice(0, -1))) {
      if (s[s.length - 1] === "y") { s[s.length - 1] = "i"; } else if (s[s.length - 1] === "Y") { s[s.length - 1] = "I"; }
    }
    s = rule(s, step2, 0);
    s = rule(s, step3, 0);
    s = rule(s, step4, 1);
    if (s[s.length - 1] === "e") {
      var t = s.slice(0, -1);
      var m = measure(t);
      var c = t[t.length - 1];
      if (m > 1 || (m === 1 && !(cvc(t) && c !== "w" && c !== "x" && c !== "y"))) { s = t; }
    }
    if (s.length > 2 && s[s.length - 1] === "l" && s[s.length - 2] === "l" && measure(s.slice(0, -1)) > 1) { s = s.slice(0, -1); }
    return s.join("");
  }

  var stopSet = null;

  // analyze returns the terms bleve's analyzer of a field makes of text.
  function analyze(field, text) {
    if (field.code) {
      return (text.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9]+/g) || []).map(function (t) { return t.toLowerCase(); });
    }
    var out = [];
    words(text).forEach(function (w) {
      var t = lower(possessive(w.text));
      if (!stopSet[t]) { out.push(stem(t)); }
    });
    return out;
  }

  // ---- query parsing ---------------------------------------------------

  // fieldNames are the field names the CLI's query syntax knows; the ones
  // mapped to true are filters that only the CLI and the server evaluate.
  var fieldNames = { title: "title", body: "body", code: "code", tag: "tags", tags: "tags",
    author: true, user: true, kind: true, type: true, score: true, answers: true,
    created: true, activity: true, is: true };

  // parse splits a query into clauses like bleve's query-string syntax and
  // the CLI's rewrite of it. Phrases fall back to their words; syntax the
  // static search cannot evaluate is reported in notes. Input that is not
  // valid syntax (an unknown field such as "Error: x", std::vector, an
  // unclosed quote) is searched as plain text, as the CLI does.
  function parse(input) {
    var q = { must: [], should: [], not: [], tags: [], notTags: [], notes: [] };
    var plain = function () {
      return { must: [], should: [{ text: input.trim(), field: "", boost: 1 }], not: [], tags: [], notTags: [], notes: [] };
    };
    var i = 0;
    var n = input.length;
    var space = /\s/;
    while (i < n) {
      while (i < n && space.test(input[i])) { i++; }
      if (i >= n) { break; }
      var sign = "";
      if (input[i] === "+" || input[i] === "-") {
        sign = input[i];
        i++;
        if (i >= n || space.test(input[i])) { return plain(); }
      }
      var field = "";
      var j = i;
      while (j < n && !space.test(input[j]) && input[j] !== ":" && input[j] !== "\"") { j++; }
      if (j < n && input[j] === ":" && j > i) {
        field = input.slice(i, j).toLowerCase();
        if (!Object.prototype.hasOwnProperty.call(fieldNames, field)) { return plain(); }
        i = j + 1;
        while (i < n && space.test(input[i])) { i++; }
        if (i >= n) { return plain(); }
      }
      var text;
      var phrase = false;
      if (input[i] === "\"") {
        var close = input.indexOf("\"", i + 1);
        if (close < 0) { return plain(); }
        text = input.slice(i + 1, close);
        phrase = true;
        i = close + 1;
      } else {
        j = i;
        while (j < n && !space.test(input[j])) { j++; }
        text = input.slice(i, j);
        i = j;
        if (text.indexOf(":") >= 0) { return plain(); }
      }
      if (field === "tag" || field === "tags") {
        (sign === "-" ? q.notTags : q.tags).push(lower(text));
        continue;
      }
      if (fieldNames[field] === true) {
        q.notes.push(field + ":");
        continue;
      }
      if (phrase && /\s/.test(text.trim())) { q.notes.push("phrase"); }
      var boost = 1;
      var bm = /^(.*)\^([0-9.]+)$/.exec(text);
      if (bm && !phrase) { text = bm[1]; boost = parseFloat(bm[2]) || 1; }
      if (!phrase && (/~[0-9]*$/.test(text) || /[*?]/.test(text) || /^\/.*\/$/.test(text))) {
        q.notes.push("fuzzy");
        text = text.replace(/~[0-9]*$/, "").replace(/[*?]/g, "").replace(/^\/|\/$/g, "");
      }
      var list = sign === "+" ? q.must : sign === "-" ? q.not : q.should;
      var parts = phrase ? text.split(/\s+/) : [text];
      parts.forEach(function (p) { if (p) { list.push({ text: p, field: fieldNames[field] || "", boost: boost }); } });
    }
    return q;
  }

  // ---- scoring (bleve's searchers) --------------------------------------

  var man = null;

  function bucketOf(term, k) {
    var bytes = unescape(encodeURIComponent(term));
    var h = 2166136261;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return (h & (k - 1)) >>> 0;
  }

  // postingsOf loads the postings of term: {field: [df, key, tf, len, …]}.
  function postingsOf(term) {
    var b = bucketOf(term, man.k);
    if (man.te.indexOf(b) >= 0) { return Promise.resolve({}); }
    return load("t/" + b.toString(16)).then(function (bucket) {
      var e = bucket && bucket[term];
      if (typeof e === "string") { return load(e).then(function (d) { return d || {}; }); }
      return e || {};
    });
  }

  function termNode(field, term, boost) {
    return { kind: "term", field: field, term: term, boost: boost };
  }

  // leaf builds the disjunction of one query word over the fields, like
  // the CLI's rewrite: fields where the word analyses to nothing are left
  // out; each field's match query is a disjunction of its terms.
  function leaf(w) {
    var kids = [];
    man.fields.forEach(function (f) {
      if (w.field && w.field !== f.name) { return; }
      var terms = analyze(f, w.text);
      if (!terms.length) { return; }
      var boost = w.field ? w.boost : f.boost * w.boost;
      kids.push({ kind: "dis", min: 1, kids: terms.map(function (t) { return termNode(f, t, boost); }) });
    });
    if (!kids.length) { return null; }
    if (w.field) { return kids[0]; }
    return { kind: "dis", min: 0, kids: kids };
  }

  function collectTerms(n, out) {
    if (n.kind === "term") { out.push(n); } else { n.kids.forEach(function (k) { collectTerms(k, out); }); }
    return out;
  }

  // prepare computes counts and idf bottom-up and sorts each composite's
  // children by count, stably, as bleve's searchers do.
  function prepare(n) {
    if (n.kind === "term") {
      var f = n.field;
      var p = n.postings;
      n.count = p ? p[0] : 0;
      if (f.avg > 0) {
        n.idf = Math.log(1 + (man.n - n.count + 0.5) / (n.count + 0.5));
      } else {
        n.idf = 1.0 + Math.log(man.n / (n.count + 1.0));
      }
      var w = n.boost * n.idf;
      n.weight = w * w;
      return;
    }
    n.kids.forEach(prepare);
    n.kids = n.kids.map(function (k, i) { return { k: k, i: i }; }).sort(function (a, b) {
      return a.k.count - b.k.count || a.i - b.i;
    }).map(function (x) { return x.k; });
    n.count = 0;
    n.weight = 0;
    n.kids.forEach(function (k) { n.count += k.count; n.weight += k.weight; });
  }

  // score returns a Map key → score of the documents node n matches.
  function score(n, qnorm) {
    if (n.kind === "term") {
      var out = new Map();
      var p = n.postings;
      if (!p) { return out; }
      var qw = n.boost * n.idf * qnorm;
      var avg = n.field.avg;
      var key = 0;
      for (var i = 1; i < p.length; i += 3) {
        key += p[i];
        var tf = Math.sqrt(p[i + 1]);
        var s;
        if (avg > 0) {
          var norm = Math.fround(1 / Math.sqrt(p[i + 2]));
          var len = 1 / (norm * norm);
          s = n.idf * (tf * K1) / (tf + K1 * (1 - B + (B * len / avg)));
        } else {
          s = tf * Math.fround(1 / Math.sqrt(p[i + 2])) * n.idf;
        }
        if (qw !== 1.0) { s = s * qw; }
        out.set(key, s);
      }
      return out;
    }
    var maps = n.kids.map(function (k) { return score(k, qnorm); });
    var res = new Map();
    var docs = new Set();
    maps.forEach(function (m) { m.forEach(function (_, k) { docs.add(k); }); });
    docs.forEach(function (k) {
      var sum = 0;
      var c = 0;
      for (var i = 0; i < maps.length; i++) {
        var v = maps[i].get(k);
        if (v !== undefined) { sum += v; c++; }
      }
      if (n.kind === "conj") {
        if (c === maps.length) { res.set(k, sum); }
      } else if (c >= n.min) {
        res.set(k, sum * (c / maps.length));
      }
    });
    return res;
  }

  function tagDocs(tag) {
    var b = bucketOf(tag, man.kt);
    if (man.ge.indexOf(b) >= 0) { return Promise.resolve(new Set()); }
    return load("g/" + b.toString(16)).then(function (bucket) {
      var set = new Set();
      var p = bucket && bucket[tag];
      var key = 0;
      if (p) { for (var i = 1; i < p.length; i += 3) { key += p[i]; set.add(key); } }
      return set;
    });
  }

  // idLess orders keys like bleve's _id sort: articles ("a…") before
  // questions ("q…"), each by number.
  function idCompare(a, b) {
    return (a % 2) - (b % 2) || a - b;
  }

  // run evaluates a parsed query and returns [{key, score}] sorted.
  function run(q) {
    var must = q.must.map(leaf).filter(Boolean);
    var should = q.should.map(leaf).filter(Boolean);
    var not = q.not.map(leaf).filter(Boolean);
    var all = [];
    must.concat(should, not).forEach(function (n) { collectTerms(n, all); });
    var needs = all.map(function (t) {
      return postingsOf(t.term).then(function (e) { t.postings = e[t.field.name] || null; });
    });
    var tagSets = q.tags.map(tagDocs);
    var notTagSets = q.notTags.map(tagDocs);
    return Promise.all([Promise.all(needs), Promise.all(tagSets), Promise.all(notTagSets)]).then(function (r) {
      var top = null;
      var mustNode = must.length ? { kind: "conj", kids: must } : null;
      var shouldNode = should.length ? { kind: "dis", min: 0, kids: should } : null;
      [mustNode, shouldNode].concat(not).forEach(function (n) { if (n) { prepare(n); } });
      var weight = (mustNode ? mustNode.weight : 0) + (shouldNode ? shouldNode.weight : 0);
      var qnorm = 1.0 / Math.sqrt(weight);
      var hits;
      if (mustNode) {
        hits = score(mustNode, qnorm);
        if (shouldNode) {
          var sh = score(shouldNode, qnorm);
          hits.forEach(function (v, k) { var s = sh.get(k); if (s !== undefined) { hits.set(k, v + s); } });
        }
      } else if (shouldNode) {
        hits = score(shouldNode, qnorm);
      } else if (r[1].length) {
        // Only filters: every document of the first tag, all scoring 1
        // (bleve's match-all), in id order.
        top = r[1][0];
        hits = new Map();
        top.forEach(function (k) { hits.set(k, 1); });
      } else {
        if (not.length || r[2].length) { q.notes.push("negative"); }
        hits = new Map();
      }
      not.forEach(function (n) { score(n, 1).forEach(function (_, k) { hits.delete(k); }); });
      r[1].forEach(function (set) { hits.forEach(function (_, k) { if (!set.has(k)) { hits.delete(k); } }); });
      r[2].forEach(function (set) { set.forEach(function (k) { hits.delete(k); }); });
      var list = [];
      hits.forEach(function (s, k) { list.push({ key: k, score: s }); });
      list.sort(function (a, b) { return b.score - a.score || idCompare(a.key, b.key); });
      return list;
    });
  }

  // search runs a query string; it resolves with {hits, total, notes, terms}.
  function search(input, limit) {
    return load("manifest").then(function (m) {
      if (!m) { throw new Error("the search index is missing"); }
      man = m;
      stopSet = {};
      m.stop.forEach(function (w) { stopSet[w] = true; });
      var q = parse(input);
      return run(q).then(function (list) {
        var terms = {};
        q.should.concat(q.must).forEach(function (w) {
          analyze({ code: false }, w.text).forEach(function (t) { terms[t] = true; });
        });
        return { hits: list.slice(0, limit), total: list.length, notes: q.notes, terms: terms };
      });
    });
  }

  function fragmentsOf(hits) {
    var groups = {};
    hits.forEach(function (h) { groups[Math.floor(h.key / Math.pow(2, man.gs)).toString(16)] = true; });
    return Promise.all(Object.keys(groups).map(function (g) { return load("f/" + g); })).then(function () {
      return hits.map(function (h) {
        var g = loaded["f/" + Math.floor(h.key / Math.pow(2, man.gs)).toString(16)];
        return { key: h.key, score: h.score, frag: (g && g[String(h.key)]) || null };
      });
    });
  }

  // ---- the page ---------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // highlight appends text to parent with the words whose terms the query
  // has wrapped in <mark>; everything is added as text, never as HTML.
  function highlight(parent, text, terms) {
    var at = 0;
    words(text).forEach(function (w) {
      var t = lower(possessive(w.text));
      if (stopSet[t] || !terms[stem(t)]) { return; }
      parent.appendChild(document.createTextNode(text.slice(at, w.start)));
      parent.appendChild(el("mark", "", w.text));
      at = w.end;
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  var notices = {
    "phrase": "Exact phrases are searched as separate words here; the command line and the preview server match them exactly.",
    "fuzzy": "Fuzzy, wildcard and regular-expression matches need the command line or the preview server; the words are searched as they are.",
    "negative": "Add a word or a tag to search for: here a query of exclusions alone finds nothing (the command line lists everything else)."
  };

  function renderResults(page, res, items, query) {
    var list = page.querySelector("#search-results");
    var status = page.querySelector("#search-status");
    var notice = page.querySelector("#search-notice");
    var help = page.querySelector("#search-help");
    var root = page.getAttribute("data-root") || "../";
    list.textContent = "";
    notice.textContent = "";
    var seen = {};
    res.notes.forEach(function (n) {
      if (seen[n]) { return; }
      seen[n] = true;
      notice.appendChild(el("p", "search-notice", notices[n] || ("Only the command line and the preview server understand " + n + " filters; it was ignored.")));
    });
    status.textContent = res.total === 1 ? "1 result for \u201c" + query + "\u201d" :
      res.total + " results for \u201c" + query + "\u201d";
    help.hidden = res.total !== 0;
    items.forEach(function (it) {
      var f = it.frag;
      if (!f) { return; }
      var li = el("li", "search-result");
      var h = el("h2", "search-result-title");
      var a = el("a");
      a.href = root + f.p;
      highlight(a, f.t, res.terms);
      h.appendChild(a);
      li.appendChild(h);
      if (f.x) {
        var p = el("p", "search-result-excerpt");
        highlight(p, f.x, res.terms);
        li.appendChild(p);
      }
      var meta = el("p", "search-result-meta");
      if (f.k === "article") { meta.appendChild(el("span", "search-result-kind", "Article")); }
      meta.appendChild(el("span", "search-result-score", (f.s === 1 ? "1 vote" : f.s + " votes")));
      if (f.d) {
        var time = el("time", "", f.d);
        time.dateTime = f.d;
        meta.appendChild(time);
      }
      li.appendChild(meta);
      if (f.g && f.g.length) {
        var tags = el("ul", "search-result-tags tag-list");
        f.g.forEach(function (t) {
          var ti = el("li");
          var ta = el("a", "tag", t);
          ta.href = "index.html?q=" + encodeURIComponent(query + " tag:" + t);
          ti.appendChild(ta);
          tags.appendChild(ti);
        });
        li.appendChild(tags);
      }
      list.appendChild(li);
    });
    page.setAttribute("data-state", "done");
  }

  function setupPage(page) {
    base = page.getAttribute("data-base") || "";
    var params = new URLSearchParams(window.location.search);
    var query = (params.get("q") || "").trim();
    var tag = (params.get("tag") || "").trim();
    var input = page.querySelector("#search-q");
    var tagInput = page.querySelector("#search-tag");
    if (input) { input.value = query; }
    if (tagInput) { tagInput.value = tag; }
    var form = page.querySelector("#search-form");
    if (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var u = "index.html?q=" + encodeURIComponent(input.value.trim());
        if (tagInput && tagInput.value.trim()) { u += "&tag=" + encodeURIComponent(tagInput.value.trim()); }
        window.location.href = u;
      });
    }
    if (tagInput) {
      tagInput.addEventListener("focus", function () {
        load("tags").then(function (tags) {
          var dl = page.querySelector("#search-tags");
          if (!tags || !dl || dl.childNodes.length) { return; }
          Object.keys(tags).forEach(function (t) { var o = el("option"); o.value = t; dl.appendChild(o); });
        });
      }, { once: true });
    }
    var full = query + (tag ? " tag:" + tag : "");
    if (!full.trim()) { page.setAttribute("data-state", "idle"); return; }
    page.setAttribute("data-state", "loading");
    var started = window.performance ? performance.now() : 0;
    search(full, 20).then(function (res) {
      page.setAttribute("data-ms", String((window.performance ? performance.now() : 0) - started));
      return fragmentsOf(res.hits).then(function (items) { renderResults(page, res, items, full.trim()); });
    }).catch(function (e) {
      page.querySelector("#search-status").textContent = "Search is not available: " + e.message;
      page.setAttribute("data-state", "error");
    });
  }

  // The header box: "/" focuses it; it opens the search page with ?q=.
  function setupBox() {
    var forms = document.querySelectorAll("form[data-search-box]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var q = form.querySelector("input[name=q]").value.trim();
        window.location.href = form.getAttribute("action") + (q ? "?q=" + encodeURIComponent(q) : "");
      });
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      var t = ev.target;
      if (t && (t.isContentEditable || /^(input|textarea|select)$/i.test(t.tagName))) { return; }
      var box = document.querySelector("form[data-search-box] input[name=q]");
      if (box) { ev.preventDefault(); box.focus(); }
    });
  }

  // Tests drive the engine through these.
  window.KBSearch.search = search;
  window.KBSearch.analyze = function (field, text) {
    return load("manifest").then(function (m) {
      man = m;
      stopSet = {};
      m.stop.forEach(function (w) { stopSet[w] = true; });
      var f = m.fields.filter(function (x) { return x.name === field; })[0];
      return analyze(f, text);
    });
  };
  window.KBSearch.idOf = function (key) {
    return (key % 2 ? "q" : "a") + String(Math.floor(key / 2)).padStart(10, "0");
  };

  setupBox();
  var page = document.getElementById("search-page");
  if (page) { setupPage(page); }
})();
