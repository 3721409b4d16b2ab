// The SPARQL editor: Yasqe (the vendored Yasgui editor, /static/vendor/yasgui) to write a
// query, our own fetch to run it against this server's /sparql, and Yasr to show the
// answer as a table or as the raw response. Every value comes from news text and is
// untrusted: what this file puts into HTML is escaped, and the rest goes in as text.
// The editor asks nothing of other servers: the prefixes and the ontology's terms it
// completes come with the page, and Yasgui's prefix.cc and LOV look-ups are switched off.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const editorBox = document.getElementById("editor");
  const picker = document.getElementById("named");
  const paramsBox = document.getElementById("params");
  const description = document.getElementById("named-description");
  const statusLine = document.getElementById("status");
  const results = document.getElementById("results");
  const errorBox = document.getElementById("query-error");
  const named = JSON.parse(document.getElementById("named-queries").textContent);
  const vocab = JSON.parse(document.getElementById("editor-vocabulary").textContent);
  const byName = Object.fromEntries(named.map((q) => [q.name, q]));
  const ENTITY = vocab.entity;
  const ARTICLE = vocab.article;
  // What an IRI may hold between < and > in SPARQL (IRIREF), and only http(s) ones.
  const SAFE_IRI = /^https?:\/\/[^\u0000-\u0020<>"{}|^`\\]*$/;
  const MAX_LABELLED = 1000;

  const lib = window.Yasgui;
  if (!lib || !lib.Yasqe || !lib.Yasr) {
    // The bundle did not load: the plain form still sends the query to /sparql.
    statusLine.textContent = "The editor could not be loaded; Run sends the query to the endpoint as plain text.";
    return;
  }
  const { Yasqe, Yasr } = lib;

  let selected = null;
  let labels = new Map();
  let runs = 0;
  let errorMark = null;
  let quiet = false;

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  // --- the editor -------------------------------------------------------------------

  // Prefix completion from our own list (after PREFIX, and a prefix typed in the body
  // is declared on the spot); Yasgui's built-in list and its prefix.cc fetch are not used.
  const prefixLines = Object.entries(vocab.prefixes).map(([p, iri]) => p + ": <" + iri + ">").sort();
  Yasqe.registerAutocompleter(Object.assign({}, Yasqe.Autocompleters.prefixes, { get: prefixLines }));
  // The ontology's classes and properties after "aikg:".
  Yasqe.registerAutocompleter({
    name: "aikgTerms",
    bulk: true,
    autoShow: true,
    get: vocab.terms,
    isValidCompletionPosition(yasqe) {
      const token = yasqe.getCompleteToken();
      if (!token.string.startsWith("aikg:")) return false;
      const before = yasqe.getPreviousNonWsToken(yasqe.getDoc().getCursor().line, token);
      return !(before && before.string && before.string.toUpperCase() === "PREFIX");
    },
  });
  // The class and property completers ask Linked Open Vocabularies: left out.
  Yasqe.defaults.autocompleters = ["prefixes", "aikgTerms", "variables"];

  const yasqe = new Yasqe(editorBox, {
    value: textarea.value,
    persistenceId: null,          // the page's query, not one left in localStorage
    consumeShareLink: null,
    createShareableLink: null,
    showQueryButton: false,       // our Run button runs it
    resizeable: true,
    editorHeight: "22rem",
    // The text itself is the focusable element (not a hidden textarea beside it), so the
    // scrolling code area can be reached and read with the keyboard and screen readers.
    inputStyle: "contenteditable",
  });
  textarea.hidden = true;
  yasqe.getInputField().setAttribute("aria-label", "SPARQL query");
  yasqe.getInputField().setAttribute("aria-describedby", "query-error");
  const submit = () => form.requestSubmit();
  yasqe.setOption("extraKeys", Object.assign({}, yasqe.getOption("extraKeys"), { "Ctrl-Enter": submit, "Cmd-Enter": submit }));
  yasqe.on("change", () => {
    clearMark();
    if (!quiet && selected) { selected = null; picker.value = ""; paramsBox.replaceChildren(); description.textContent = ""; }
  });

  function setQuery(text) {
    quiet = true;
    try { yasqe.setValue(text); } finally { quiet = false; }
  }

  // --- results ------------------------------------------------------------------------

  // Yasr's table, with an entity's or article's label in the cell, a link to its page,
  // and the IRI itself on hover.
  const BaseTable = Yasr.plugins.table;
  class LabelledTable extends BaseTable {
    // DataTables sorts and filters on the plain value; Yasr would run it through an HTML
    // sanitizer first, which parses hostile text as markup for nothing.
    getColumns() {
      return super.getColumns().map((col, i) => {
        if (i === 0) return col;
        const draw = col.render;
        return Object.assign({}, col, {
          render: (term, type, row, meta) => (term === "" || type === "display" || type === "type")
            ? draw(term, type, row, meta) : term.value,
        });
      });
    }

    getUriLinkFromBinding(binding, prefixes) {
      const iri = binding.value;
      const label = labels.get(iri);
      let text = label;
      if (!text) {
        text = "<" + iri + ">";
        for (const [p, ns] of Object.entries(prefixes || {})) {
          if (iri.startsWith(ns) && iri.length > ns.length) { text = p + ":" + iri.slice(ns.length); break; }
        }
      }
      let href = null;
      let extra = "";
      if (iri.startsWith(ENTITY)) href = "/entity/" + encodeURIComponent(iri.slice(ENTITY.length));
      else if (iri.startsWith(ARTICLE)) href = "/article/" + encodeURIComponent(iri.slice(ARTICLE.length));
      else if (SAFE_IRI.test(iri)) { href = iri; extra = ' rel="noopener noreferrer" target="_blank"'; }
      const cls = label ? "iri labelled" : "iri";
      if (!href) return '<span class="' + cls + '" title="' + escapeHtml(iri) + '">' + escapeHtml(text) + "</span>";
      return '<a class="' + cls + '" href="' + escapeHtml(href) + '" title="' + escapeHtml(iri) + '"' + extra + ">" +
        escapeHtml(text) + "</a>";
    }

    // Yasr's page-size list has a caption beside it but no label, so a screen reader gave it no name.
    drawControls() {
      super.drawControls();
      if (this.tableSizeField) this.tableSizeField.setAttribute("aria-label", "Page size");
    }
  }
  Yasr.registerPlugin("table", LabelledTable);

  // A bar chart of the answer's first number column against its first other column
  // (Yasgui's own charts load Google Charts from a CDN; this one is drawn here, as SVG).
  const SVG_NS = "http://www.w3.org/2000/svg";
  const CHART_ROWS = 50;
  function numeric(term) {
    return term && term.type !== "uri" && term.type !== "bnode" && term.value.trim() !== "" &&
      isFinite(Number(term.value));
  }
  class BarChart {
    constructor(y) {
      this.yasr = y;
      this.priority = 5;
      this.label = "Chart";
    }
    columns() {
      const res = this.yasr.results;
      if (!res || !res.getBindings || !res.getVariables) return null;
      const rows = res.getBindings() || [];
      const vars = res.getVariables() || [];
      if (!rows.length) return null;
      const value = vars.find((v) => rows.every((r) => r[v] === undefined || numeric(r[v])) &&
        rows.some((r) => numeric(r[v])));
      if (!value) return null;
      const name = vars.find((v) => v !== value && !v.endsWith("Label") ? rows.some((r) => r[v]) : false) ||
        vars.find((v) => v !== value);
      return { rows, value, name, label: vars.find((v) => v === name + "Label") };
    }
    canHandleResults() { return this.columns() !== null; }
    getIcon() {
      const svg = document.createElementNS(SVG_NS, "svg");
      svg.setAttribute("viewBox", "0 0 16 16");
      svg.setAttribute("aria-hidden", "true");
      for (const [x, h] of [[2, 6], [7, 11], [12, 4]]) {
        const r = document.createElementNS(SVG_NS, "rect");
        r.setAttribute("x", x); r.setAttribute("y", 15 - h); r.setAttribute("width", 3); r.setAttribute("height", h);
        svg.appendChild(r);
      }
      return svg;
    }
    text(term) {
      if (!term) return "";
      if (term.type === "uri") return labels.get(term.value) || term.value;
      return term.value;
    }
    draw() {
      const c = this.columns();
      const el = this.yasr.resultsEl;
      el.replaceChildren();
      if (!c) return;
      const rows = c.rows.filter((r) => numeric(r[c.value])).slice(0, CHART_ROWS);
      const max = Math.max(...rows.map((r) => Math.abs(Number(r[c.value].value))), 1e-9);
      const barH = 22, labelW = 220, barW = 420, width = labelW + barW + 90;
      const svg = document.createElementNS(SVG_NS, "svg");
      svg.setAttribute("class", "aikg-chart");
      svg.setAttribute("role", "img");
      svg.setAttribute("viewBox", "0 0 " + width + " " + (rows.length * barH + 8));
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = c.value + " by " + (c.name || "row");
      svg.appendChild(title);
      rows.forEach((r, i) => {
        const v = Number(r[c.value].value);
        const y = 4 + i * barH;
        const name = document.createElementNS(SVG_NS, "text");
        name.setAttribute("x", labelW - 6); name.setAttribute("y", y + barH / 2 + 4);
        name.setAttribute("text-anchor", "end");
        const words = c.label && r[c.label] ? r[c.label].value : this.text(r[c.name]);
        name.textContent = words.length > 34 ? words.slice(0, 33) + "…" : words;
        const bar = document.createElementNS(SVG_NS, "rect");
        bar.setAttribute("class", "bar");
        bar.setAttribute("x", labelW); bar.setAttribute("y", y + 3);
        bar.setAttribute("width", Math.max(1, Math.round(barW * Math.abs(v) / max)));
        bar.setAttribute("height", barH - 6);
        const tip = document.createElementNS(SVG_NS, "title");
        tip.textContent = words + ": " + r[c.value].value;
        bar.appendChild(tip);
        const num = document.createElementNS(SVG_NS, "text");
        num.setAttribute("x", labelW + Number(bar.getAttribute("width")) + 6); num.setAttribute("y", y + barH / 2 + 4);
        num.textContent = r[c.value].value;
        svg.append(name, bar, num);
      });
      el.appendChild(svg);
      if (c.rows.length > rows.length) {
        const more = document.createElement("p");
        more.className = "chart-note";
        more.textContent = "The first " + rows.length + " rows are drawn.";
        el.appendChild(more);
      }
    }
  }
  Yasr.registerPlugin("chart", BarChart);

  let yasr = null;
  let chosenView = null;

  // A fresh Yasr for every run: nothing of the last answer can stay on screen.
  function clearResults() {
    if (yasr) {
      chosenView = yasr.selectedPlugin || chosenView;
      yasr.destroy();
      yasr = null;
    }
    results.replaceChildren();
  }

  function newYasr() {
    const y = new Yasr(results, {
      persistenceId: null,
      prefixes: vocab.prefixes,
      pluginOrder: ["table", "chart", "response"],
      defaultPlugin: "table",
    });
    if (chosenView) y.selectedPlugin = chosenView;
    return y;
  }

  // Labels of the entities and articles in a SELECT answer, by one query whose VALUES
  // holds their IRIs; an IRI that is not a plain http(s) IRI is left out, never pasted.
  async function fetchLabels(json) {
    const found = new Set();
    for (const row of (json.results && json.results.bindings) || []) {
      for (const term of Object.values(row)) {
        if (term.type === "uri" && (term.value.startsWith(ENTITY) || term.value.startsWith(ARTICLE)) &&
            SAFE_IRI.test(term.value)) found.add(term.value);
        if (found.size >= MAX_LABELLED) break;
      }
    }
    const out = new Map();
    if (!found.size) return out;
    const query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
      "PREFIX dcterms: <http://purl.org/dc/terms/>\n" +
      "SELECT ?iri (SAMPLE(?l) AS ?label) WHERE {\n  VALUES ?iri { " +
      Array.from(found, (iri) => "<" + iri + ">").join(" ") +
      " }\n  { ?iri rdfs:label ?l } UNION { ?iri dcterms:title ?l }\n} GROUP BY ?iri";
    const resp = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: query,
    });
    if (!resp.ok) throw new Error("labels: " + resp.status);
    for (const row of (await resp.json()).results.bindings) {
      if (row.iri && row.label) out.set(row.iri.value, row.label.value);
    }
    return out;
  }

  // --- errors -------------------------------------------------------------------------

  // An error answer, as JSON (REST routes: detail, line, column, pointer, parser) or as the
  // SPARQL protocol's text: the message line, then for a query that does not parse the
  // query line and a caret line, then "detail: " and the parser's own message.
  function readError(type, text) {
    const err = { message: text.trim(), pointer: "", parser: "", line: null, column: null };
    if (type === "application/json") {
      try {
        const j = JSON.parse(text);
        err.message = typeof j.detail === "string" ? j.detail : JSON.stringify(j.detail);
        err.pointer = j.pointer || "";
        err.parser = j.parser || "";
        err.line = j.line || null;
        err.column = j.column || null;
      } catch (e) { /* not JSON after all: keep the text */ }
    } else {
      const lines = text.replace(/\n$/, "").split("\n");
      let rest = 1;
      if (lines.length >= 3 && /^[\t ]*\^$/.test(lines[2])) {
        err.pointer = lines[1] + "\n" + lines[2];
        rest = 3;
      }
      if (lines.length > rest && lines[rest].startsWith("detail: ")) {
        err.message = lines[0];
        err.parser = [lines[rest].slice("detail: ".length), ...lines.slice(rest + 1)].join("\n");
      } else if (rest === 3) {
        err.message = lines[0];
      }
    }
    const at = /^line (\d+), column (\d+): /.exec(err.message);
    if (at && err.line === null) { err.line = Number(at[1]); err.column = Number(at[2]); }
    return err;
  }

  // The editor position of a 1-based line and column counted in code points (the
  // server's unit); CodeMirror counts UTF-16 units.
  function positionOf(line, column) {
    const l = Math.min(Math.max(line - 1, 0), yasqe.lastLine());
    const text = yasqe.getLine(l);
    let ch = 0;
    for (let c = 1; c < column && ch < text.length; c++) ch += text.codePointAt(ch) > 0xFFFF ? 2 : 1;
    return { line: l, ch };
  }

  function clearMark() {
    if (errorMark) { errorMark.clear(); errorMark = null; }
  }

  function clearError() {
    clearMark();
    errorBox.hidden = true;
    errorBox.replaceChildren();
  }

  function showError(status, err, fromEditor) {
    errorBox.replaceChildren(el("p", (status ? status + " · " : "") + err.message, { class: "error" }));
    if (err.pointer) errorBox.appendChild(el("pre", err.pointer, { class: "pointer" }));
    if (fromEditor && err.line !== null) {
      const at = positionOf(err.line, err.column);
      const end = { line: at.line, ch: Math.min(at.ch + 1, yasqe.getLine(at.line).length) };
      const mark = yasqe.markText(at, end, { className: "sparql-error-at" });
      yasqe.addLineClass(at.line, "background", "sparql-error-line");
      errorMark = { clear() { mark.clear(); yasqe.removeLineClass(at.line, "background", "sparql-error-line"); } };
      const go = el("button", "Show line " + err.line + ", column " + err.column + " in the editor",
                    { type: "button", class: "goto" });
      go.addEventListener("click", () => {
        yasqe.focus();
        yasqe.setSelection(at, end);
        yasqe.scrollIntoView(at, 60);
      });
      errorBox.appendChild(go);
    }
    if (err.parser && err.parser !== err.message) {
      const more = el("details");
      more.appendChild(el("summary", "The parser's own message"));
      more.appendChild(el("pre", err.parser, { class: "parser" }));
      errorBox.appendChild(more);
    }
    errorBox.hidden = false;
  }

  // --- running ------------------------------------------------------------------------

  function choose(name) {
    selected = byName[name] || null;
    paramsBox.replaceChildren();
    description.textContent = selected ? selected.description : "";
    if (!selected) return;
    // The title and description are shown above; the editor gets the query itself.
    setQuery(selected.sparql.replace(/^(?:#[^\n]*\n|[ \t]*\n)+/, ""));
    for (const p of selected.params) {
      const label = el("label", p.name + " ");
      const attrs = { name: "param-" + p.name, "data-param": p.name, placeholder: p.description };
      if (p.default !== undefined) attrs.value = p.default; else attrs.required = "";
      label.appendChild(el("input", null, attrs));
      paramsBox.appendChild(label);
    }
  }

  function requestUrl(format) {
    const params = new URLSearchParams();
    if (selected && selected.params.length) {
      for (const input of paramsBox.querySelectorAll("input[data-param]")) {
        if (input.value !== "" || input.required) params.append(input.dataset.param, input.value);
      }
      if (format) { params.append("format", format); params.append("download", "1"); }
      return "/queries/" + encodeURIComponent(selected.name) + "/results?" + params.toString();
    }
    params.append("query", yasqe.getValue());
    if (format) { params.append("format", format); params.append("download", "1"); }
    return "/sparql?" + params.toString();
  }

  async function run(event) {
    event.preventDefault();
    const mine = ++runs;
    clearResults();
    clearError();
    statusLine.textContent = "Running…";
    textarea.value = yasqe.getValue();
    const fromEditor = !(selected && selected.params.length);
    const started = performance.now();
    let resp, text;
    try {
      resp = await fetch(requestUrl(null), { headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
      text = await resp.text();
    } catch (err) {
      if (mine !== runs) return;
      statusLine.textContent = "";
      showError(null, { message: "The server could not be reached: " + err, pointer: "", parser: "", line: null }, false);
      return;
    }
    if (mine !== runs) return;  // a newer run took over
    const ms = Math.round(performance.now() - started);
    const type = (resp.headers.get("content-type") || "").split(";")[0];
    if (!resp.ok) {
      statusLine.textContent = "";
      showError(resp.status, readError(type, text), fromEditor);
      return;
    }
    let note = "";
    labels = new Map();
    if (type === "application/sparql-results+json") {
      try {
        const json = JSON.parse(text);
        if (json.results) {
          const n = json.results.bindings.length;
          note = n + " row" + (n === 1 ? "" : "s");
          try {
            labels = await fetchLabels(json);
          } catch (err) {
            note += " · labels could not be fetched, IRIs are shown";
          }
          if (mine !== runs) return;
        } else if ("boolean" in json) {
          note = "Answer: " + json.boolean;
        }
      } catch (err) { /* Yasr shows what it can of it */ }
    }
    statusLine.textContent = note + (note ? " " : "") + "(" + ms + " ms)";
    yasr = newYasr();
    yasr.setResponse({ ok: true, status: resp.status, statusText: resp.statusText, headers: resp.headers,
                       type: resp.type, content: text }, ms);
  }

  picker.addEventListener("change", () => choose(picker.value));
  form.addEventListener("submit", run);
  for (const link of document.querySelectorAll(".downloads a[data-format]")) {
    link.addEventListener("click", () => { link.href = requestUrl(link.dataset.format); });
  }
  window.aikgEditor = { yasqe, get yasr() { return yasr; } };
})();
