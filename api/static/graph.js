(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("graph-data").textContent);
  var CONFIG = JSON.parse(document.getElementById("graph-config").textContent);
  var SAFE_URL = /^https?:\/\//i;
  var nodeById = new Map(), edgeById = new Map(), edgesOf = new Map();
  DATA.nodes.forEach(function (n) { nodeById.set(n.id, n); edgesOf.set(n.id, []); });
  DATA.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  });

  function pick(obj, keys) {
    var out = {};
    keys.forEach(function (k) { if (obj[k] !== undefined) out[k] = obj[k]; });
    return out;
  }
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var v = pick(n, ["id", "label", "title", "shape", "color", "size", "x", "y"]);
    if (!DATA.physics) v.physics = false;
    return v;
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    return pick(e, ["id", "from", "to", "color", "width", "dashes", "arrows", "title"]);
  }));

  // ------------------------------------------------------------------ time
  // The state of a relation as of a day (YYYY-MM-DD), read off its changes
  // (kg.timeline.changes): the last change on or before the day decides, claim days
  // compared as strings, so "2024" and "2024-03" count as their first day; null when no
  // change places it by then.
  var ENDED_STYLE = DATA.legend.ended;
  var FAMILY = {};
  DATA.legend.families.forEach(function (f) { FAMILY[f.family] = f.color; });
  function firstDay(day) {
    return /^\d{4}$/.test(day) ? day + "-01-01" : /^\d{4}-\d{2}$/.test(day) ? day + "-01" : day;
  }
  function lastDay(day) {
    // An as_of a person typed ("2024", "2024-03") means its last day, as the server reads it.
    if (/^\d{4}$/.test(day)) return day + "-12-31";
    if (/^\d{4}-\d{2}$/.test(day)) {
      var end = new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7), 0)).getUTCDate();
      return day + "-" + String(end).padStart(2, "0");
    }
    return day;
  }
  function stateAt(e, day) {
    if (!day) return { ended: e.ended, start: e.start_date, end: e.end_date };
    var last = null, start = null;
    (e.changes || []).forEach(function (c) {
      if (c[0] > day) return;
      last = c;
      if (!c[1] && start === null) start = c[0];
    });
    if (!last) return null;
    return { ended: last[1], start: start, end: last[1] ? last[0] : null };
  }
  function stateLine(st) {
    // The same words as kg.viz.state_line.
    if (!st) return "";
    if (st.ended) return "ended" + (st.end ? " " + st.end : "") + (st.start ? " (since " + st.start + ")" : "");
    return st.start ? "since " + st.start : "";
  }
  var baseTitle = new Map(), shownKey = new Map();
  DATA.edges.forEach(function (e) {
    var st = stateAt(e, null), own = stateLine(st), t = e.title || "";
    baseTitle.set(e.id, own && t.slice(-own.length) === own ? t.slice(0, -own.length).replace(/\n$/, "") : t);
    shownKey.set(e.id, (st.ended ? "1 " : "0 ") + own);
  });
  function styleFor(e, st) {
    var ended = Boolean(st && st.ended), line = stateLine(st), c = ended ? ENDED_STYLE.color : FAMILY[e.family];
    return { id: e.id, color: { color: c, highlight: c, hover: c },
             dashes: ended ? ENDED_STYLE.dashes : Boolean(e.hedged),
             title: baseTitle.get(e.id) + (line ? "\n" + line : "") };
  }
  var big = DATA.nodes.length > 1000;
  var options = {
    nodes: { font: { size: 14, face: "system-ui, sans-serif" }, borderWidth: 1 },
    edges: { smooth: DATA.physics ? { type: "continuous" } : false, selectionWidth: 2 },
    physics: DATA.physics ? {
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -6000, springLength: 150, springConstant: 0.03 },
      stabilization: { iterations: 250, fit: true }
    } : false,
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    layout: { improvedLayout: DATA.physics && DATA.nodes.length <= 100, randomSeed: 42 }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  var state = { ready: false, readyAt: null };
  window.aikg = { network: network, nodes: nodes, edges: edges, data: DATA, state: state,
                  showNode: showNode, showEdge: showEdge };
  function markReady() {
    if (state.ready) return;
    state.ready = true;
    state.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  if (DATA.physics && DATA.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      // Frozen after the first settling, so the picture stays put while one reads it.
      network.setOptions({ physics: false });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else if (DATA.nodes.length) {
    network.once("afterDrawing", markReady);
  } else {
    markReady();
  }

  // ----------------------------------------------------------------- side panel
  var panel = document.getElementById("panel");
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function clearPanel() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function label(id) { var n = nodeById.get(id); return n ? n.label : id; }
  function evidenceList(e) {
    var ul = el("ul", null, "evidence");
    if (!e.evidence || !e.evidence.length) {
      ul.appendChild(el("li", "No sentence stored for this relation.", "hint"));
      return ul;
    }
    e.evidence.forEach(function (ev) {
      if (asOf && !(ev.claim_date && ev.claim_date <= asOf)) return;
      var li = el("li", null, ev.ended ? "ended" : null);
      li.appendChild(el("q", ev.sentence));
      var meta = el("div", null, "meta");
      var name = ev.title || ev.url || "untitled article";
      if (ev.url && SAFE_URL.test(ev.url)) {
        var a = el("a", name);
        a.href = ev.url;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        meta.appendChild(a);
      } else {
        meta.appendChild(el("span", name));
      }
      if (ev.date) meta.appendChild(el("span", ev.date, "date"));
      if (ev.ended) meta.appendChild(el("span", "ended" + (ev.claim_date ? " " + ev.claim_date : ""), "ended"));
      else if (ev.start_date) meta.appendChild(el("span", "from " + ev.start_date, "when"));
      else if (ev.stated_date) meta.appendChild(el("span", "dated " + ev.stated_date, "when"));
      if (ev.date_text) meta.appendChild(el("span", "\u201c" + ev.date_text + "\u201d", "when"));
      if (ev.amount) meta.appendChild(el("span", ev.amount, "amount"));
      if (ev.stake_percent !== null && ev.stake_percent !== undefined) meta.appendChild(el("span", ev.stake_percent + "% stake", "amount"));
      if (ev.confidence !== null && ev.confidence !== undefined)
        meta.appendChild(el("span", "confidence " + Number(ev.confidence).toFixed(2), "conf"));
      if (ev.hedged) meta.appendChild(el("span", "hedged", "hedged"));
      li.appendChild(meta);
      ul.appendChild(li);
    });
    if (e.sources > e.evidence.length)
      ul.appendChild(el("li", e.sources + " articles support this relation; the most confident sentences are shown.", "hint"));
    if (e.weaker) ul.appendChild(weakerNote(e.weaker));
    return ul;
  }
  function weakerNote(n) {
    var li = el("li", null, "hint weaker");
    li.appendChild(el("span", n + (n === 1 ? " weaker statement" : " weaker statements") + " hidden (confidence below " +
                              Number(DATA.filters.min_confidence).toFixed(2) + ")"));
    if (CONFIG.standalone) {
      li.appendChild(el("span", "; not in this file (aikg viz --min-confidence 0 writes them)"));
    } else {
      var q = new URLSearchParams(queryString());
      q.set("min_confidence", "0");
      var a = el("a", "show all", "show-all");
      a.href = location.pathname + "?" + q.toString();
      li.appendChild(document.createTextNode(" \u00b7 "));
      li.appendChild(a);
    }
    return li;
  }
  function edgeFacts(e) {
    var parts = [e.sources + (e.sources === 1 ? " source" : " sources")];
    var when = stateLine(stateAt(e, asOf));
    if (when) parts.push(when);
    if (e.first) parts.push(e.first === e.last || !e.last ? e.first : e.first + " to " + e.last);
    if (e.confidence !== null && e.confidence !== undefined) parts.push("confidence " + Number(e.confidence).toFixed(2));
    if (e.hedged) parts.push("hedged");
    return parts.join(" \u00b7 ");
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    clearPanel();
    panel.setAttribute("data-kind", "edge");
    panel.appendChild(el("h2", label(e.from) + " " + e.predicate + " " + label(e.to)));
    panel.appendChild(el("p", e.family + (e.symmetric ? ", symmetric" : ", directed") + " \u00b7 " + edgeFacts(e), "facts"));
    panel.appendChild(evidenceList(e));
  }
  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) return;
    clearPanel();
    panel.setAttribute("data-kind", "node");
    panel.appendChild(el("h2", n.label));
    panel.appendChild(el("p", (n.type || "unknown type") + " \u00b7 " + n.degree + (n.degree === 1 ? " relation" : " relations"), "facts"));
    if (n.aliases && n.aliases.length) panel.appendChild(el("p", "Also: " + n.aliases.join(", "), "facts"));
    if (n.wikidata && /^Q[0-9]+$/.test(n.wikidata)) {
      var w = el("p", null, "facts");
      var wa = el("a", "Wikidata " + n.wikidata);
      wa.href = "https://www.wikidata.org/wiki/" + n.wikidata;
      wa.rel = "noopener noreferrer";
      wa.target = "_blank";
      w.appendChild(wa);
      panel.appendChild(w);
    }
    if (CONFIG.entityBase && n.slug) {
      var p = el("p", null, "facts");
      var a = el("a", "Entity page");
      a.href = CONFIG.entityBase + encodeURIComponent(n.slug);
      a.className = "entity-link";
      p.appendChild(a);
      panel.appendChild(p);
    }
    var groups = new Map();
    edgesOf.get(id).forEach(function (e) {
      if (hiddenEdges.has(e.id)) return;
      if (!groups.has(e.predicate)) groups.set(e.predicate, []);
      groups.get(e.predicate).push(e);
    });
    if (!groups.size) panel.appendChild(el("p", "No relation shown with the current filters.", "hint"));
    Array.from(groups.keys()).sort().forEach(function (pred) {
      panel.appendChild(el("h3", pred));
      groups.get(pred).forEach(function (e) {
        var text;
        if (e.symmetric) text = "\u2194 " + label(e.from === id ? e.to : e.from);
        else if (e.from === id) text = "\u2192 " + label(e.to);
        else text = "\u2190 " + label(e.from);
        var head = el("div", text + "  (" + edgeFacts(e) + ")", "rel");
        head.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e.id); });
        panel.appendChild(head);
        panel.appendChild(evidenceList(e));
      });
    });
  }
  function hidePanel() {
    clearPanel();
    panel.removeAttribute("data-kind");
    panel.appendChild(el("p", "Click an entity or a relation to see the sentences behind it.", "hint"));
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else hidePanel();
  });

  // -------------------------------------------------------------------- filters
  var form = document.getElementById("filters");
  var hiddenNodes = new Set(), hiddenEdges = new Set();
  // asOf: the slider's day, YYYY-MM-DD (null: no cut beyond the server's own as_of).
  var asOf = null;
  function fold(s) { return String(s || "").trim().toLowerCase(); }
  function findNode(text) {
    var t = fold(text);
    if (!t) return null;
    if (nodeById.has(text)) return text;
    var hit = null, prefix = null;
    DATA.nodes.forEach(function (n) {
      if (hit) return;
      if (fold(n.label) === t || fold(n.slug) === t || fold(n.wikidata) === t ||
          (n.aliases || []).some(function (a) { return fold(a) === t; })) hit = n.id;
      else if (!prefix && fold(n.label).indexOf(t) === 0) prefix = n.id;
    });
    return hit || prefix;
  }
  function readForm() {
    var fd = new FormData(form);
    return {
      focus: String(fd.get("focus") || "").trim(),
      depth: Math.max(0, parseInt(fd.get("depth"), 10) || 0),
      predicates: fd.getAll("predicates"),
      types: fd.getAll("types"),
      since: String(fd.get("since") || ""),
      until: String(fd.get("until") || ""),
      minConf: parseFloat(fd.get("min_confidence")) || 0,
      minSources: parseInt(fd.get("min_sources"), 10) || 1,
      showEnded: fd.get("include_ended") !== null
    };
  }
  function writeForm(params) {
    ["focus", "depth", "since", "until", "min_confidence", "min_sources", "limit"].forEach(function (k) {
      if (params.has(k) && form.elements[k]) form.elements[k].value = params.get(k);
    });
    ["predicates", "types"].forEach(function (k) {
      if (!params.has(k)) return;
      var want = new Set();
      params.getAll(k).forEach(function (v) { v.split(",").forEach(function (x) { if (x.trim()) want.add(x.trim()); }); });
      form.querySelectorAll("input[name=" + k + "]").forEach(function (box) { box.checked = want.has(box.value); });
    });
    if (params.has("include_ended"))
      form.elements.include_ended.checked = ["0", "false", "no", "off"].indexOf(fold(params.get("include_ended"))) < 0;
    if (params.has("as_of")) setAsOf(params.get("as_of"));
  }
  function queryString() {
    var q = new URLSearchParams();
    var f = readForm();
    if (f.focus) { q.set("focus", f.focus); q.set("depth", String(f.depth)); }
    ["predicates", "types"].forEach(function (k) {
      var boxes = form.querySelectorAll("input[name=" + k + "]");
      var on = Array.from(boxes).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (on.length < boxes.length) q.set(k, on.join(","));
    });
    if (f.since) q.set("since", f.since);
    if (f.until) q.set("until", f.until);
    // The server applies its default threshold when the URL names none.
    if (f.minConf !== CONFIG.defaultMinConfidence) q.set("min_confidence", String(f.minConf));
    if (f.minSources > 1) q.set("min_sources", String(f.minSources));
    var lim = form.elements.limit.value;
    if (lim && lim !== "300") q.set("limit", lim);
    if (asOf || DATA.filters.as_of) q.set("as_of", asOf || DATA.filters.as_of);
    if (!f.showEnded) q.set("include_ended", "0");
    return q.toString();
  }
  function shareUrl() {
    var qs = queryString();
    return CONFIG.standalone ? "#" + qs : location.pathname + (qs ? "?" + qs : "");
  }
  function apply() {
    var f = readForm();
    var preds = new Set(f.predicates), types = new Set(f.types);
    var allTypes = types.size === CONFIG.types.length;
    var dated = Boolean(f.since || f.until || asOf);
    function nodeOk(n) { return n.type ? types.has(n.type) : allTypes; }
    var edgeOk = new Set();
    DATA.edges.forEach(function (e) {
      if (!preds.has(e.predicate) || e.sources < f.minSources) return;
      if (f.minConf > 0 && e.confidence !== null && e.confidence < f.minConf) return;
      if (f.since && !(e.last && e.last >= f.since)) return;
      if (f.until && !(e.first && e.first <= f.until)) return;
      var st = stateAt(e, asOf);
      if (!st || (st.ended && !f.showEnded)) return;
      if (!nodeOk(nodeById.get(e.from)) || !nodeOk(nodeById.get(e.to))) return;
      edgeOk.add(e.id);
    });
    // An edge's look follows its state on the slider's day; only the changed ones are redrawn.
    var restyle = [];
    DATA.edges.forEach(function (e) {
      var st = stateAt(e, asOf);
      if (!st) return;
      var key = (st.ended ? "1 " : "0 ") + stateLine(st);
      if (key !== shownKey.get(e.id)) { restyle.push(styleFor(e, st)); shownKey.set(e.id, key); }
    });
    if (restyle.length) edges.update(restyle);
    var show = new Set();
    var center = f.focus ? (DATA.focus && fold(f.focus) === fold(DATA.filters.focus) ? DATA.focus : findNode(f.focus)) : null;
    if (center) {
      show.add(center);
      var frontier = [center];
      for (var d = 0; d < f.depth; d++) {
        var next = [];
        frontier.forEach(function (id) {
          edgesOf.get(id).forEach(function (e) {
            if (!edgeOk.has(e.id)) return;
            var other = e.from === id ? e.to : e.from;
            if (!show.has(other)) { show.add(other); next.push(other); }
          });
        });
        frontier = next;
      }
    } else {
      DATA.nodes.forEach(function (n) {
        if (!nodeOk(n)) return;
        var own = edgesOf.get(n.id);
        if ((!own.length && !dated) || own.some(function (e) { return edgeOk.has(e.id); })) show.add(n.id);
      });
    }
    var nodeUpd = [], edgeUpd = [], shownEdges = 0;
    DATA.nodes.forEach(function (n) {
      var hide = !show.has(n.id);
      if (hide !== hiddenNodes.has(n.id)) nodeUpd.push({ id: n.id, hidden: hide });
      if (hide) hiddenNodes.add(n.id); else hiddenNodes.delete(n.id);
    });
    DATA.edges.forEach(function (e) {
      var hide = !(edgeOk.has(e.id) && show.has(e.from) && show.has(e.to));
      if (!hide) shownEdges++;
      if (hide !== hiddenEdges.has(e.id)) edgeUpd.push({ id: e.id, hidden: hide });
      if (hide) hiddenEdges.add(e.id); else hiddenEdges.delete(e.id);
    });
    if (nodeUpd.length) nodes.update(nodeUpd);
    if (edgeUpd.length) edges.update(edgeUpd);
    var msg = show.size + " of " + DATA.nodes.length + " entities, " + shownEdges + " relations shown";
    if (f.focus && !center) msg += "; no entity named \u201c" + f.focus + "\u201d here";
    document.getElementById("summary").textContent = msg;
    document.getElementById("share").href = shareUrl();
    window.aikg.visible = { nodes: Array.from(show), edges: Array.from(edgeOk).filter(function (id) {
      var e = edgeById.get(id); return show.has(e.from) && show.has(e.to); }) };
  }
  form.addEventListener("submit", function (ev) {
    if (CONFIG.standalone) {
      ev.preventDefault();
      apply();
      try { history.replaceState(null, "", shareUrl()); } catch (err) { location.hash = queryString(); }
      return;
    }
    // Served: ask the server again, with a short URL (no defaults, no all-checked groups).
    ev.preventDefault();
    location.href = shareUrl();
  });
  form.addEventListener("change", function (ev) {
    if (CONFIG.standalone || ev.target.type === "checkbox") apply();
    if (ev.target.name === "include_ended") {
      // The address keeps the box's state, so a reload or a shared link shows the same.
      try { history.replaceState(null, "", shareUrl()); } catch (err) { /* a file: URL may refuse */ }
    }
  });

  // ------------------------------------------------------------- as-of slider
  // The slider's stops are the claim days at which some relation began or ended.
  var dates = Array.from(new Set([].concat.apply([], DATA.edges.map(function (e) {
    return (e.changes || []).map(function (c) { return c[0]; });
  })))).sort();
  var slider = document.getElementById("asof");
  var asofLabel = document.getElementById("asof-label");
  slider.max = String(dates.length);
  slider.value = String(dates.length);
  function onSlide() {
    var i = parseInt(slider.value, 10);
    // A stop is a claim day at its own precision; as a day it is its first day.
    asOf = i >= dates.length ? null : firstDay(dates[i]);
    asofLabel.textContent = (i >= dates.length ? null : dates[i]) || DATA.filters.as_of || "all dates";
    apply();
  }
  function setAsOf(text) {
    // From an address: the day it names (a year or month: its last day), the slider at
    // the last stop on or before it.
    var day = lastDay(String(text || "").trim());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    var i = 0;
    while (i < dates.length && firstDay(dates[i]) <= day) i++;
    slider.value = String(i >= dates.length ? dates.length : Math.max(0, i - 1));
    asOf = day;
    asofLabel.textContent = String(text).trim();
  }
  slider.addEventListener("input", onSlide);
  var timer = null;
  document.getElementById("replay").addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; return; }
    slider.value = "0";
    onSlide();
    timer = setInterval(function () {
      var i = parseInt(slider.value, 10) + 1;
      slider.value = String(i);
      onSlide();
      if (i >= dates.length) { clearInterval(timer); timer = null; }
    }, Math.max(60, Math.min(600, 12000 / Math.max(1, dates.length))));
  });
  if (!dates.length) document.getElementById("asof-box").hidden = true;

  // -------------------------------------------------------------------- search
  var names = document.getElementById("entity-names");
  DATA.nodes.slice(0, 3000).forEach(function (n) {
    var o = document.createElement("option");
    o.value = n.label;
    names.appendChild(o);
  });
  var search = document.getElementById("search");
  var searchMsg = document.getElementById("search-msg");
  var navigating = false;
  function centre(text) {
    searchMsg.textContent = "";
    var id = findNode(text);
    if (id && !hiddenNodes.has(id)) {
      network.focus(id, { scale: 1.3, animation: { duration: 400 } });
      network.selectNodes([id]);
      showNode(id);
    } else if (!CONFIG.standalone && text.trim()) {
      // Enter and the change that follows it both land here: navigate once.
      if (navigating) return;
      navigating = true;
      var q = new URLSearchParams(queryString());
      q.set("focus", text.trim());
      q.set("depth", q.get("depth") || "1");
      location.href = location.pathname + "?" + q.toString();
    } else {
      searchMsg.textContent = text.trim() ? "not in this view" : "";
    }
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") centre(search.value); });
  search.addEventListener("change", function () { centre(search.value); });

  // ----------------------------------------------------------------------- start
  var initial = CONFIG.standalone ? location.hash.replace(/^#/, "") : location.search.replace(/^\?/, "");
  if (initial) writeForm(new URLSearchParams(initial));
  if (asOf === null) asofLabel.textContent = DATA.filters.as_of || "all dates";
  apply();
})();
