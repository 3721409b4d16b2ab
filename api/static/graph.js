// The network page (api/templates/graph.html): served at /graph and inlined into the
// file `aikg viz` writes. The data comes from two JSON blocks (kg.viz.View.to_dict and
// the page's config); every string from it is written with textContent only.
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
  // The first view: the most central entities (the nodes come most central first).
  var firstIds = new Set(DATA.nodes.slice(0, DATA.first || DATA.nodes.length).map(function (n) { return n.id; }));
  var params = new URLSearchParams(CONFIG.standalone ? location.hash.replace(/^#/, "") : location.search.replace(/^\?/, ""));
  var showAll = params.get("all") === "1";
  var colorBy = params.get("color") === "community" ? "community" : "type";
  var sizeBy = params.get("size") === "sources" ? "sources" : "relations";

  function pick(obj, keys) {
    var out = {};
    keys.forEach(function (k) { if (obj[k] !== undefined) out[k] = obj[k]; });
    return out;
  }
  function nodeColor(n) {
    var c = colorBy === "community" ? n.community_color : n.type_color;
    if (!c) return n.color;
    return { background: c, border: n.color.border, highlight: { background: c, border: "#000000" },
             hover: { background: c, border: "#000000" } };
  }
  function nodeSize(n) {
    return sizeBy === "sources" && n.size_sources !== undefined ? n.size_sources : n.size;
  }
  function nodeItem(n) {
    var v = pick(n, ["id", "label", "shape", "size", "font", "x", "y"]);
    v.size = nodeSize(n);
    v.color = nodeColor(n);
    v.tip = n.title;
    if (!DATA.physics) v.physics = false;
    return v;
  }
  function edgeItem(e) {
    var v = pick(e, ["id", "from", "to", "color", "width", "dashes", "arrows", "label", "smooth"]);
    v.tip = e.title;
    return v;
  }
  var nodes = new vis.DataSet(DATA.nodes.map(nodeItem));
  var edges = new vis.DataSet(DATA.edges.map(edgeItem));

  // ------------------------------------------------------------------ time
  // The state of a relation as of a day (YYYY-MM-DD), read off its changes
  // (kg.timeline.changes): the last change on or before the day decides, claim days
  // compared as strings, so "2024" and "2024-03" count as their first day; null when no
  // change places it by then.
  var ENDED_STYLE = DATA.legend.ended;
  var PREDICATE_COLOR = {};
  DATA.legend.predicates.forEach(function (p) { PREDICATE_COLOR[p.predicate] = p.color; });
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
  var baseTip = new Map(), shownKey = new Map();
  function noteTip(e) {
    var st = stateAt(e, null), own = stateLine(st), t = e.title || "";
    baseTip.set(e.id, own && t.slice(-own.length) === own ? t.slice(0, -own.length).replace(/\n$/, "") : t);
    shownKey.set(e.id, (st.ended ? "1 " : "0 ") + own);
  }
  DATA.edges.forEach(noteTip);
  function styleFor(e, st) {
    var ended = Boolean(st && st.ended), line = stateLine(st);
    var c = ended ? ENDED_STYLE.color : PREDICATE_COLOR[e.predicate];
    return { id: e.id, color: { color: c, highlight: c, hover: c },
             dashes: ended ? ENDED_STYLE.dashes : Boolean(e.hedged),
             tip: baseTip.get(e.id) + (line ? "\n" + line : "") };
  }

  // ------------------------------------------------------------------- network
  var big = DATA.nodes.length > 1000;
  // Edge labels (the predicate) are drawn from this zoom on, and on the hovered edge.
  var EDGE_LABEL_ZOOM = 1.2, EDGE_FONT = 11;
  var options = {
    nodes: { font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
             borderWidth: 1, scaling: { label: { drawThreshold: 9 } } },
    edges: { smooth: DATA.physics ? { type: "continuous" } : false, selectionWidth: 2,
             font: { size: EDGE_FONT, face: "system-ui, sans-serif", align: "middle", strokeWidth: 3, strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: Math.ceil(EDGE_FONT * EDGE_LABEL_ZOOM) } } },
    physics: DATA.physics ? {
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -6000, springLength: 150, springConstant: 0.03 },
      stabilization: { iterations: 250, fit: true }
    } : false,
    interaction: { hover: !big, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big },
    layout: { improvedLayout: DATA.physics && DATA.nodes.length <= 100, randomSeed: 42 }
  };
  var network = null;
  var state = { ready: false, readyAt: null, expanding: false };
  window.aikg = { network: null, nodes: nodes, edges: edges, data: DATA, state: state,
                  showNode: showNode, showEdge: showEdge, hidePanel: hidePanel };
  function markReady() {
    if (state.ready) return;
    state.ready = true;
    state.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }

  // ----------------------------------------------------------------- side panel
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var selected = null;  // {kind: "node"|"edge", id}
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function clearPanel() { while (panelBody.firstChild) panelBody.removeChild(panelBody.firstChild); }
  function label(id) { var n = nodeById.get(id); return n ? n.label : id; }
  function edgeHeading(e) { return label(e.from) + " " + e.predicate + " " + label(e.to); }
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
      var q = new URLSearchParams(queryString(false));
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
  var returnFocus = null;
  function openPanel(kind, id) {
    // Escape gives the focus back to where it was when the panel opened.
    if (!panel.contains(document.activeElement)) returnFocus = document.activeElement;
    selected = { kind: kind, id: id };
    panel.setAttribute("data-kind", kind);
    panel.classList.add("open");
    remember();
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    clearPanel();
    openPanel("edge", id);
    panelBody.appendChild(el("h2", edgeHeading(e)));
    panelBody.appendChild(el("p", e.family + (e.symmetric ? ", symmetric" : ", directed") + " \u00b7 " + edgeFacts(e), "facts"));
    panelBody.appendChild(evidenceList(e));
    // The curator's buttons (api/static/curate.js, served pages only) join the panel here.
    document.dispatchEvent(new CustomEvent("aikg:edge-shown", { detail: {
      container: panelBody, subject: e.from, subjectLabel: label(e.from), predicate: e.predicate,
      object: e.to, objectLabel: label(e.to), sources: e.sources,
      statements: (e.evidence ? e.evidence.length : 0) + (e.weaker || 0) } }));
  }
  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) return;
    clearPanel();
    openPanel("node", id);
    panelBody.appendChild(el("h2", n.label));
    panelBody.appendChild(el("p", (n.type || "unknown type") + " \u00b7 " + n.degree + (n.degree === 1 ? " relation" : " relations") +
      (n.sources ? " \u00b7 " + n.sources + (n.sources === 1 ? " source" : " sources") + " of its relations" : ""), "facts"));
    if (n.aliases && n.aliases.length) panelBody.appendChild(el("p", "Also: " + n.aliases.join(", "), "facts"));
    if (n.wikidata && /^Q[0-9]+$/.test(n.wikidata)) {
      var w = el("p", null, "facts");
      var wa = el("a", "Wikidata " + n.wikidata);
      wa.href = "https://www.wikidata.org/wiki/" + n.wikidata;
      wa.rel = "noopener noreferrer";
      wa.target = "_blank";
      w.appendChild(wa);
      panelBody.appendChild(w);
    }
    if (CONFIG.entityBase && n.slug) {
      var p = el("p", null, "facts");
      var a = el("a", "Entity page");
      a.href = CONFIG.entityBase + encodeURIComponent(n.slug);
      a.className = "entity-link";
      p.appendChild(a);
      panelBody.appendChild(p);
    }
    var groups = new Map();
    edgesOf.get(id).forEach(function (e) {
      if (hiddenEdges.has(e.id)) return;
      if (!groups.has(e.predicate)) groups.set(e.predicate, []);
      groups.get(e.predicate).push(e);
    });
    if (!groups.size) panelBody.appendChild(el("p", "No relation shown with the current filters.", "hint"));
    Array.from(groups.keys()).sort().forEach(function (pred) {
      panelBody.appendChild(el("h3", pred));
      groups.get(pred).forEach(function (e) {
        var text;
        if (e.symmetric) text = "\u2194 " + label(e.from === id ? e.to : e.from);
        else if (e.from === id) text = "\u2192 " + label(e.to);
        else text = "\u2190 " + label(e.from);
        var head = el("button", text + "  (" + edgeFacts(e) + ")", "rel");
        head.type = "button";
        head.addEventListener("click", function () { if (network) network.selectEdges([e.id]); showEdge(e.id); });
        panelBody.appendChild(head);
        panelBody.appendChild(evidenceList(e));
      });
    });
  }
  function hidePanel() {
    clearPanel();
    selected = null;
    panel.removeAttribute("data-kind");
    panel.classList.remove("open");
    panelBody.appendChild(el("p", "Click an entity or a relation to see the sentences behind it.", "hint"));
    if (network) network.unselectAll();
    remember();
  }
  document.getElementById("panel-close").addEventListener("click", hidePanel);

  // ------------------------------------------------------------------- tooltip
  // One tooltip of the page's own, fed by vis-network's hover events: the edge it
  // describes is the one vis-network reports under the pointer, the same one a click
  // then selects (vis-network's own popup picks its object another way).
  var tip = document.getElementById("tip");
  var hovered = null, pointer = { x: 0, y: 0 };
  function tipText(kind, id) {
    var item = kind === "edge" ? edges.get(id) : nodes.get(id);
    return item ? item.tip || "" : "";
  }
  function showTip(kind, id) {
    hovered = { kind: kind, id: id };
    tip.textContent = tipText(kind, id);
    tip.setAttribute("data-kind", kind);
    tip.setAttribute("data-id", id);
    tip.hidden = false;
    placeTip();
  }
  function placeTip() {
    // Fixed to the window, beside the pointer, kept inside the window.
    if (tip.hidden) return;
    var x = Math.min(pointer.x + 14, window.innerWidth - tip.offsetWidth - 4);
    var y = pointer.y + 18;
    if (y + tip.offsetHeight > window.innerHeight) y = Math.max(0, pointer.y - tip.offsetHeight - 10);
    tip.style.left = Math.max(0, x) + "px";
    tip.style.top = y + "px";
  }
  function hideTip() {
    hovered = null;
    tip.hidden = true;
  }
  window.aikg.tipText = tipText;

  // ------------------------------------------------------------------- filters
  var form = document.getElementById("filters");
  var hiddenNodes = new Set(), hiddenEdges = new Set();
  // asOf: the slider's day, YYYY-MM-DD (null: no cut beyond the server's own as_of).
  var asOf = null;
  function fold(s) { return String(s || "").trim().toLowerCase(); }
  function matches(n, t) {
    return fold(n.label) === t || fold(n.slug) === t || fold(n.wikidata) === t ||
           (n.aliases || []).some(function (a) { return fold(a) === t; });
  }
  function findNode(text, among) {
    // An exact name, alias, slug or Wikidata id first, then a label starting with the text;
    // among: only these node ids (what is shown), or every node of the page.
    var t = fold(text);
    if (!t) return null;
    if (nodeById.has(text) && (!among || among.has(text))) return text;
    var hit = null, prefix = null;
    DATA.nodes.forEach(function (n) {
      if (hit || (among && !among.has(n.id))) return;
      if (matches(n, t)) hit = n.id;
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
  function writeForm(p) {
    ["focus", "depth", "since", "until", "min_confidence", "min_sources", "limit"].forEach(function (k) {
      if (p.has(k) && form.elements[k]) form.elements[k].value = p.get(k);
    });
    ["predicates", "types"].forEach(function (k) {
      if (!p.has(k)) return;
      var want = new Set();
      p.getAll(k).forEach(function (v) { v.split(",").forEach(function (x) { if (x.trim()) want.add(x.trim()); }); });
      form.querySelectorAll("input[name=" + k + "]").forEach(function (box) { box.checked = want.has(box.value); });
    });
    if (p.has("include_ended"))
      form.elements.include_ended.checked = ["0", "false", "no", "off"].indexOf(fold(p.get("include_ended"))) < 0;
    if (p.has("as_of")) setAsOf(p.get("as_of"));
  }
  function selectionParam() {
    if (!selected) return null;
    if (selected.kind === "node") {
      var n = nodeById.get(selected.id);
      return n ? ["node", n.slug || n.id] : null;
    }
    var e = edgeById.get(selected.id);
    if (!e) return null;
    var a = nodeById.get(e.from), b = nodeById.get(e.to);
    return ["edge", [a.slug || a.id, e.predicate, b.slug || b.id].join(" ")];
  }
  function queryString(withView) {
    // withView: also the page's own state (selection, colour, show all), not only the
    // filters the server reads.
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
    if (lim && lim !== String(CONFIG.defaultLimit)) q.set("limit", lim);
    if (asOf || DATA.filters.as_of) q.set("as_of", asOf || DATA.filters.as_of);
    if (!f.showEnded) q.set("include_ended", "0");
    if (withView) {
      if (showAll) q.set("all", "1");
      if (colorBy !== "type") q.set("color", colorBy);
      if (sizeBy !== "relations") q.set("size", sizeBy);
      if (expansions.length) q.set("expand", expansions.map(function (x) {
        var n = nodeById.get(x.id); return n.slug || n.id; }).join(","));
      var sel = selectionParam();
      if (sel) q.set(sel[0], sel[1]);
      if (viewState) q.set("view", [viewState.x, viewState.y, viewState.scale].join(","));
    }
    return q.toString();
  }
  function shareUrl(withView) {
    var qs = queryString(withView !== false);
    return CONFIG.standalone ? "#" + qs : location.pathname + (qs ? "?" + qs : "");
  }
  function remember() {
    // The address keeps the view (filters, selection, colour), so a reload or a shared
    // link shows the same; a file: URL may refuse.
    if (!started) return;
    document.getElementById("share").href = shareUrl();
    try { history.replaceState(null, "", shareUrl()); } catch (err) { /* a file: URL may refuse */ }
  }
  var started = false;
  // The breadcrumb's steps: {id: the double-clicked entity, added: the entities it brought}.
  var expansions = [], extra = new Set(), lastEdgeOk = new Set();
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
    // Entities that only expansions brought are shown by the expansions still on the breadcrumb.
    var active = new Set();
    expansions.forEach(function (x) { x.added.forEach(function (id) { active.add(id); }); });
    function held(id) { return !extra.has(id) || active.has(id); }
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
            if (!show.has(other) && held(other)) { show.add(other); next.push(other); }
          });
        });
        frontier = next;
      }
    } else {
      DATA.nodes.forEach(function (n) {
        if (!nodeOk(n) || (!showAll && !firstIds.has(n.id)) || extra.has(n.id)) return;
        var own = edgesOf.get(n.id);
        if ((!own.length && !dated) || own.some(function (e) { return edgeOk.has(e.id); })) show.add(n.id);
      });
    }
    expansions.forEach(function (x) {
      if (!show.has(x.id)) return;
      x.added.forEach(function (id) {
        if (nodeOk(nodeById.get(id)) && edgesOf.get(id).some(function (e) { return edgeOk.has(e.id); })) show.add(id);
      });
    });
    lastEdgeOk = edgeOk;
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
    if (hovered && (hovered.kind === "edge" ? hiddenEdges : hiddenNodes).has(hovered.id)) hideTip();
    updateShowAll(show.size);
    updateLegendCounts(edgeOk, show);
    document.getElementById("share").href = shareUrl();
    window.aikg.visible = { nodes: Array.from(show), edges: Array.from(edgeOk).filter(function (id) {
      var e = edgeById.get(id); return show.has(e.from) && show.has(e.to); }) };
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (CONFIG.standalone) {
      apply();
      remember();
      return;
    }
    // Served: ask the server again, with a short URL (no defaults, no all-checked groups).
    location.href = shareUrl(false);
  });
  form.addEventListener("change", function (ev) {
    if (CONFIG.standalone || ev.target.type === "checkbox") {
      apply();
      remember();
    }
  });

  // ---------------------------------------------------- legend as the filter
  // Each predicate of the legend is the form's checkbox for it: a click shows or hides
  // that relation. The count says how many of its relations are drawn.
  function updateLegendCounts(edgeOk, show) {
    var counts = {};
    edgeOk.forEach(function (id) {
      var e = edgeById.get(id);
      if (show.has(e.from) && show.has(e.to)) counts[e.predicate] = (counts[e.predicate] || 0) + 1;
    });
    form.querySelectorAll(".pred-toggle").forEach(function (row) {
      var p = row.getAttribute("data-predicate");
      var box = row.querySelector("input");
      row.querySelector(".count").textContent = box.checked ? String(counts[p] || 0) : "hidden";
      row.classList.toggle("off", !box.checked);
    });
  }
  document.getElementById("preds-all").addEventListener("click", function () {
    var boxes = form.querySelectorAll("input[name=predicates]");
    var any = Array.from(boxes).some(function (b) { return !b.checked; });
    boxes.forEach(function (b) { b.checked = any; });
    apply();
    remember();
  });

  // ------------------------------------------------------------ colour switch
  var colorSwitch = document.getElementById("color-by");
  function setColor(mode) {
    colorBy = mode === "community" ? "community" : "type";
    colorSwitch.querySelectorAll("input").forEach(function (r) { r.checked = r.value === colorBy; });
    document.body.setAttribute("data-color", colorBy);
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, color: nodeColor(n) }; }));
  }
  colorSwitch.addEventListener("change", function (ev) { setColor(ev.target.value); remember(); });
  document.body.setAttribute("data-color", colorBy);
  colorSwitch.querySelectorAll("input").forEach(function (r) { r.checked = r.value === colorBy; });

  // -------------------------------------------------------------- size switch
  var sizeSwitch = document.getElementById("size-by");
  function setSize(mode) {
    sizeBy = mode === "sources" ? "sources" : "relations";
    sizeSwitch.querySelectorAll("input").forEach(function (r) { r.checked = r.value === sizeBy; });
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, size: nodeSize(n) }; }));
  }
  sizeSwitch.addEventListener("change", function (ev) { setSize(ev.target.value); remember(); });
  sizeSwitch.querySelectorAll("input").forEach(function (r) { r.checked = r.value === sizeBy; });

  // ----------------------------------------------------------------- show all
  var showAllButton = document.getElementById("show-all");
  function moreOnServer() { return !CONFIG.standalone && CONFIG.maxLimit && DATA.total_entities > DATA.nodes.length; }
  function updateShowAll(shown) {
    var waiting = !DATA.focus && !showAll && DATA.nodes.length > firstIds.size;
    if (waiting || moreOnServer()) {
      showAllButton.hidden = false;
      showAllButton.textContent = "Show all " + DATA.total_entities.toLocaleString("en") + " entities";
    } else if (showAll && DATA.nodes.length > firstIds.size && !DATA.focus) {
      showAllButton.hidden = false;
      showAllButton.textContent = "Back to the " + firstIds.size + " most connected";
    } else {
      showAllButton.hidden = true;
    }
  }
  showAllButton.addEventListener("click", function () {
    if (showAll && !moreOnServer()) {
      showAll = false;
    } else if (DATA.nodes.length > firstIds.size && !showAll) {
      showAll = true;
    } else if (moreOnServer()) {
      var q = new URLSearchParams(queryString(false));
      q.set("limit", String(CONFIG.maxLimit));
      q.set("all", "1");
      location.href = location.pathname + "?" + q.toString();
      return;
    }
    apply();
    remember();
    if (network) network.fit({ nodes: Array.from(nodeById.keys()).filter(function (id) { return !hiddenNodes.has(id); }) });
  });

  // -------------------------------------------------------- confidence slider
  // Hides, in the page, the relations whose most confident statement is below the
  // slider (from 0.5 up; the server's default threshold at first). It is the form's
  // min_confidence, so the address keeps it and the server applies it on a reload.
  var confSlider = document.getElementById("conf");
  var confLabel = document.getElementById("conf-label");
  function syncConf() {
    var v = parseFloat(form.elements.min_confidence.value) || 0;
    // A lower threshold (a link that shows every statement) stays reachable.
    confSlider.min = String(Math.min(0.5, v));
    confSlider.value = String(v);
    confLabel.textContent = v.toFixed(2);
  }
  confSlider.addEventListener("input", function () {
    form.elements.min_confidence.value = confSlider.value;
    confLabel.textContent = Number(confSlider.value).toFixed(2);
    apply();
    remember();
  });
  form.elements.min_confidence.addEventListener("input", syncConf);

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
  // Looks in what is shown first. An entity of the page that the filters hide is named
  // once, with a button that shows it; one the page does not hold is asked of the
  // server (served) or reported missing (file).
  var names = document.getElementById("entity-names");
  DATA.nodes.slice(0, 3000).forEach(function (n) {
    var o = document.createElement("option");
    o.value = n.label;
    names.appendChild(o);
  });
  var search = document.getElementById("search");
  var searchMsg = document.getElementById("search-msg");
  var navigating = false, lastSearch = null;
  function say(text, button, action) {
    while (searchMsg.firstChild) searchMsg.removeChild(searchMsg.firstChild);
    if (text) searchMsg.appendChild(el("span", text));
    if (button) {
      var b = el("button", button, "link");
      b.type = "button";
      b.addEventListener("click", action);
      searchMsg.appendChild(document.createTextNode(" "));
      searchMsg.appendChild(b);
    }
  }
  function focusOn(id) {
    network.focus(id, { scale: Math.max(network.getScale(), 1.3), animation: { duration: 400 } });
    network.selectNodes([id]);
    showNode(id);
  }
  function reveal(id) {
    // Centre the page's filters on the entity: its neighbours, whatever hid it.
    var n = nodeById.get(id);
    form.elements.focus.value = n.label;
    if (!CONFIG.standalone && !DATA.nodes.some(function (x) { return x.id === id; })) {
      location.href = shareUrl(false);
      return;
    }
    form.querySelectorAll("input[type=checkbox][name=predicates], input[type=checkbox][name=types]").forEach(function (b) { b.checked = true; });
    apply();
    remember();
    if (!hiddenNodes.has(id)) focusOn(id);
  }
  function centre(text) {
    var value = String(text || "").trim();
    // Enter and the change event that follows it bring the same text: one answer.
    if (value === lastSearch) return;
    lastSearch = value;
    say("");
    if (!value) return;
    var shown = new Set(Array.from(nodeById.keys()).filter(function (id) { return !hiddenNodes.has(id); }));
    var id = findNode(value, shown);
    if (id) { focusOn(id); return; }
    var held = findNode(value, null);
    if (held) {
      say("\u201c" + label(held) + "\u201d is hidden by the current filters.", "Show it", function () { say(""); reveal(held); });
      return;
    }
    if (!CONFIG.standalone) {
      if (navigating) return;
      navigating = true;
      var q = new URLSearchParams(queryString(false));
      q.set("focus", value);
      q.set("depth", q.get("depth") || "1");
      location.href = location.pathname + "?" + q.toString();
      return;
    }
    say("No entity named \u201c" + value + "\u201d in this file.");
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") centre(search.value); });
  search.addEventListener("change", function () { centre(search.value); });
  search.addEventListener("input", function () { lastSearch = null; });

  // ------------------------------------------------------------ expansion
  // A double-click on an entity adds its neighbours that the view does not show: asked
  // of the server when served (under the page's filters), from the page's own data in a
  // file. They are placed on an arc around it, facing away from the rest, and nothing
  // else moves. The breadcrumb lists the expansions; a click on an earlier step goes
  // back to it, and the address keeps them (expand=slug,slug).
  var crumbs = document.getElementById("crumbs");
  var edgeKeys = new Map();
  DATA.edges.forEach(function (e) { edgeKeys.set(e.from + " " + e.predicate + " " + e.to, e.id); });
  var added = 0;
  function merge(ans) {
    // The server's nodes and edges that the page lacks join its data (hidden until shown).
    var newNodes = [], newEdges = [];
    (ans.nodes || []).forEach(function (n) {
      if (nodeById.has(n.id)) return;
      delete n.x; delete n.y;
      n.community = -1;
      n.community_color = null;
      DATA.nodes.push(n);
      nodeById.set(n.id, n);
      edgesOf.set(n.id, []);
      extra.add(n.id);
      var v = nodeItem(n);
      v.hidden = true;
      hiddenNodes.add(n.id);
      newNodes.push(v);
    });
    (ans.edges || []).forEach(function (e) {
      var key = e.from + " " + e.predicate + " " + e.to;
      if (edgeKeys.has(key) || !nodeById.has(e.from) || !nodeById.has(e.to)) return;
      e.id = "x" + (++added);
      edgeKeys.set(key, e.id);
      DATA.edges.push(e);
      edgeById.set(e.id, e);
      edgesOf.get(e.from).push(e);
      if (e.to !== e.from) edgesOf.get(e.to).push(e);
      noteTip(e);
      var v = edgeItem(e);
      v.hidden = true;
      hiddenEdges.add(e.id);
      newEdges.push(v);
    });
    if (newNodes.length) nodes.add(newNodes);
    if (newEdges.length) edges.add(newEdges);
  }
  function placeAround(id, ids) {
    // An arc around the entity, opening away from the middle of what is shown.
    var shown = Array.from(nodeById.keys()).filter(function (x) { return !hiddenNodes.has(x); });
    var pos = network.getPositions(shown.concat([id]));
    var c = pos[id], mx = 0, my = 0;
    shown.forEach(function (x) { mx += pos[x].x; my += pos[x].y; });
    mx /= Math.max(1, shown.length); my /= Math.max(1, shown.length);
    var away = Math.atan2(c.y - my, c.x - mx);
    if (!isFinite(away) || (Math.abs(c.x - mx) < 1 && Math.abs(c.y - my) < 1)) away = 0;
    var k = ids.length, spread = k < 4 ? Math.PI * 0.6 : Math.min(2 * Math.PI * (1 - 1 / k), Math.PI * 1.4);
    var r = 130 + 10 * Math.max(0, k - 6);
    nodes.update(ids.map(function (x, i) {
      var a = away + (k === 1 ? 0 : -spread / 2 + spread * i / (k - 1));
      return { id: x, x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a), physics: false };
    }));
  }
  function neighbourQuery(id) {
    var q = new URLSearchParams(queryString(false));
    ["focus", "depth", "limit", "include_ended"].forEach(function (k) { q.delete(k); });
    q.set("entity", id);
    return CONFIG.neighboursUrl + "?" + q.toString();
  }
  function expand(id) {
    if (!nodeById.has(id)) return Promise.resolve(false);
    state.expanding = true;
    var got = CONFIG.neighboursUrl
      ? fetch(neighbourQuery(id), { headers: { Accept: "application/json" } }).then(function (r) {
          if (!r.ok) throw new Error("the server could not list the neighbours of " + label(id) + " (" + r.status + ")");
          return r.json();
        })
      : Promise.resolve(null);
    return got.then(function (ans) {
      if (ans) { merge(ans); apply(); }
      var fresh = [];
      edgesOf.get(id).forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        if (other !== id && lastEdgeOk.has(e.id) && hiddenNodes.has(other) && fresh.indexOf(other) < 0) fresh.push(other);
      });
      if (!fresh.length) {
        say("All the neighbours of \u201c" + label(id) + "\u201d are shown.");
        return false;
      }
      say("");
      placeAround(id, fresh);
      expansions.push({ id: id, added: fresh });
      apply();
      showCrumbs();
      remember();
      return true;
    }).catch(function (err) {
      say(String(err.message || err));
      return false;
    }).then(function (done) {
      state.expanding = false;
      return done;
    });
  }
  function backTo(step) {
    expansions.length = step;
    apply();
    showCrumbs();
    remember();
  }
  function showCrumbs() {
    var list = crumbs.querySelector("ol");
    while (list.firstChild) list.removeChild(list.firstChild);
    crumbs.hidden = !expansions.length;
    var steps = ["View"].concat(expansions.map(function (x) { return "+ " + label(x.id); }));
    steps.forEach(function (text, i) {
      var li = el("li");
      if (i === steps.length - 1) {
        var here = el("span", text);
        here.setAttribute("aria-current", "step");
        li.appendChild(here);
      } else {
        var b = el("button", text, "link");
        b.type = "button";
        b.setAttribute("data-step", String(i));
        b.addEventListener("click", function () { backTo(i); });
        li.appendChild(b);
      }
      list.appendChild(li);
    });
  }
  function replayExpansions(list) {
    // From an address: each step by slug (or IRI), in order; one the page cannot find ends it.
    var step = Promise.resolve(true);
    list.forEach(function (name) {
      step = step.then(function (ok) {
        if (!ok) return false;
        var id = null;
        nodeById.forEach(function (n, key) { if (!id && (n.slug === name || key === name)) id = key; });
        return id ? expand(id) : false;
      });
    });
    return step;
  }
  window.aikg.expand = expand;
  window.aikg.backTo = backTo;

  // -------------------------------------------------------------- phone menu
  var menu = document.getElementById("menu");
  function setMenu(open) {
    document.body.classList.toggle("menu-open", open);
    menu.setAttribute("aria-expanded", open ? "true" : "false");
  }
  menu.addEventListener("click", function () { setMenu(!document.body.classList.contains("menu-open")); });
  document.getElementById("side-close").addEventListener("click", function () { setMenu(false); menu.focus(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    if (document.body.classList.contains("menu-open")) setMenu(false);
    if (selected || panel.classList.contains("open")) {
      hidePanel();
      var back = returnFocus && document.contains(returnFocus) && returnFocus !== document.body
        ? returnFocus : document.querySelector("#network .vis-network");
      back.focus();
      returnFocus = null;
    }
    hideTip();
  });

  // ----------------------------------------------------------------------- start
  writeForm(params);
  syncConf();
  if (asOf === null) asofLabel.textContent = DATA.filters.as_of || "all dates";
  apply();
  var container = document.getElementById("network");
  network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.aikg.network = network;
  network.on("click", function (p) {
    // What the tooltip names is what the click opens: vis-network finds the object of a
    // click from the tap's rounded position, which can pick a neighbouring edge where
    // edges cross. Without a tooltip (touch, big graphs), the click's own object.
    var target = null;
    if (hovered && !tip.hidden) target = hovered;
    else if (p.nodes.length) target = { kind: "node", id: p.nodes[0] };
    else if (p.edges.length) target = { kind: "edge", id: p.edges[0] };
    hideTip();
    setMenu(false);
    if (!target) { hidePanel(); return; }
    if (target.kind === "node") { network.selectNodes([target.id]); showNode(target.id); }
    else { network.setSelection({ nodes: [], edges: [target.id] }); showEdge(target.id); }
  });
  network.on("doubleClick", function (p) { if (p.nodes.length) expand(p.nodes[0]); });
  network.on("hoverNode", function (p) { showTip("node", p.node); });
  network.on("blurNode", function () { hideTip(); });
  network.on("hoverEdge", function (p) {
    showTip("edge", p.edge);
    // The hovered edge's label is drawn whatever the zoom.
    edges.update({ id: p.edge, font: { size: Math.ceil(EDGE_FONT * EDGE_LABEL_ZOOM / Math.min(1, network.getScale())) + 1 } });
  });
  network.on("blurEdge", function (p) {
    hideTip();
    edges.update({ id: p.edge, font: { size: EDGE_FONT } });
  });
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  container.addEventListener("mousemove", function (ev) {
    pointer = { x: ev.clientX, y: ev.clientY };
    placeTip();
  });
  container.addEventListener("mouseleave", hideTip);
  function fitShown() {
    var shown = Array.from(nodeById.keys()).filter(function (id) { return !hiddenNodes.has(id); });
    if (shown.length) network.fit({ nodes: shown, animation: false });
    sizeLabels();
  }
  // The labels of the most central entities stay readable (LABEL_PX on screen) however
  // far one zooms out; the others are drawn from the zoom where they reach that size.
  var LABEL_PX = 13, sizedAt = null;
  var topLabels = DATA.nodes.slice().sort(function (a, b) { return b.degree - a.degree; }).slice(0, 30);
  function sizeLabels() {
    var s = network.getScale();
    if (sizedAt !== null && Math.abs(s - sizedAt) < 0.02 * sizedAt) return;
    sizedAt = s;
    nodes.update(topLabels.map(function (n) {
      return { id: n.id, font: { size: Math.max(n.font ? n.font.size : 14, Math.ceil(LABEL_PX / s)) } };
    }));
  }
  network.on("zoom", function () { requestAnimationFrame(sizeLabels); });
  // The address keeps where one zoomed or panned to (view=x,y,scale), once one has.
  var viewState = null;
  function keepView() {
    var at = network.getViewPosition(), sc = network.getScale();
    viewState = { x: Math.round(at.x), y: Math.round(at.y), scale: Math.round(sc * 1000) / 1000 };
    remember();
  }
  network.on("zoom", keepView);
  // With the network focused (Tab reaches vis-network's frame), arrow keys pan, + and -
  // zoom, 0 fits what is shown; each step is one move (vis-network's own keys only run
  // while a key is held, and only after a click).
  container.querySelector(".vis-network").addEventListener("keydown", function (ev) {
    var at = network.getViewPosition(), sc = network.getScale(), step = 80 / sc;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[ev.key]) {
      network.moveTo({ position: { x: at.x + moves[ev.key][0], y: at.y + moves[ev.key][1] }, scale: sc, animation: false });
    } else if (ev.key === "+" || ev.key === "=") {
      network.moveTo({ position: at, scale: sc * 1.25, animation: false });
      requestAnimationFrame(sizeLabels);
    } else if (ev.key === "-" || ev.key === "_") {
      network.moveTo({ position: at, scale: sc / 1.25, animation: false });
      requestAnimationFrame(sizeLabels);
    } else if (ev.key === "0") {
      fitShown();
    } else {
      return;
    }
    ev.preventDefault();
    hideTip();
    keepView();
  });
  network.on("dragEnd", function (p) { if (!p.nodes.length) keepView(); });
  function viewFromAddress() {
    var v = (params.get("view") || "").split(",").map(Number);
    if (v.length !== 3 || !v.every(isFinite) || v[2] <= 0) return false;
    viewState = { x: v[0], y: v[1], scale: v[2] };
    network.moveTo({ position: { x: v[0], y: v[1] }, scale: v[2], animation: false });
    return true;
  }
  function restore() {
    // The selection the address names, if the page holds it.
    var slugs = new Map();
    DATA.nodes.forEach(function (n) { slugs.set(n.slug || n.id, n.id); });
    if (params.has("node") && slugs.has(params.get("node"))) {
      var id = slugs.get(params.get("node"));
      network.selectNodes([id]);
      showNode(id);
    } else if (params.has("edge")) {
      var parts = params.get("edge").split(" ");
      var from = slugs.get(parts[0]), to = slugs.get(parts[2]);
      var hit = DATA.edges.find(function (e) { return e.from === from && e.to === to && e.predicate === parts[1]; });
      if (hit) { network.selectEdges([hit.id]); showEdge(hit.id); }
    }
  }
  if (DATA.physics && DATA.nodes.length) {
    network.once("stabilizationIterationsDone", function () {
      // Frozen after the first settling, so the picture stays put while one reads it.
      network.setOptions({ physics: false });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else if (DATA.nodes.length) {
    fitShown();
    if (viewFromAddress()) sizeLabels();
    network.once("afterDrawing", markReady);
  } else {
    markReady();
  }
  started = true;
  if (params.get("expand")) {
    state.expanding = true;
    replayExpansions(params.get("expand").split(",").filter(Boolean)).then(function () {
      state.expanding = false;
      restore();
    });
  } else {
    restore();
  }
  document.getElementById("share").href = shareUrl();
})();
