// The SPARQL editor: runs queries with fetch and renders results with textContent
// only, since every value comes from news text and is untrusted.
"use strict";
(function () {
  const ENTITY = "https://w3id.org/aikg/entity/";
  const ARTICLE = "https://w3id.org/aikg/article/";
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const picker = document.getElementById("named");
  const paramsBox = document.getElementById("params");
  const description = document.getElementById("named-description");
  const statusLine = document.getElementById("status");
  const results = document.getElementById("results");
  const errorBox = document.getElementById("query-error");
  const named = JSON.parse(document.getElementById("named-queries").textContent);
  const byName = Object.fromEntries(named.map((q) => [q.name, q]));
  let selected = null;

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function choose(name) {
    selected = byName[name] || null;
    paramsBox.replaceChildren();
    description.textContent = selected ? selected.description : "";
    if (!selected) return;
    textarea.value = selected.sparql;
    for (const p of selected.params) {
      const label = el("label", p.name + " ");
      const input = el("input", null, { name: "param-" + p.name, "data-param": p.name, placeholder: p.description, required: "" });
      label.appendChild(input);
      paramsBox.appendChild(label);
    }
  }

  function requestUrl(format) {
    const params = new URLSearchParams();
    if (selected && selected.params.length) {
      for (const input of paramsBox.querySelectorAll("input[data-param]")) params.append(input.dataset.param, input.value);
      if (format) { params.append("format", format); params.append("download", "1"); }
      return "/queries/" + encodeURIComponent(selected.name) + "/results?" + params.toString();
    }
    params.append("query", textarea.value);
    if (format) { params.append("format", format); params.append("download", "1"); }
    return "/sparql?" + params.toString();
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      if (term.value.startsWith(ENTITY)) {
        td.appendChild(el("a", term.value.slice(ENTITY.length), { href: "/entity/" + encodeURIComponent(term.value.slice(ENTITY.length)) }));
      } else if (term.value.startsWith(ARTICLE)) {
        const id = term.value.slice(ARTICLE.length);
        td.appendChild(el("a", "article " + id.slice(0, 10), { href: "/article/" + encodeURIComponent(id) }));
      } else {
        td.textContent = term.value;
      }
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function renderSelect(json) {
    const vars = json.head.vars || [];
    const rows = json.results.bindings;
    const table = el("table");
    const head = el("tr");
    for (const v of vars) head.appendChild(el("th", v));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    let focus = null;
    for (const row of rows) {
      const tr = el("tr");
      for (const v of vars) {
        tr.appendChild(cell(row[v]));
        if (!focus && row[v] && row[v].type === "uri" && row[v].value.startsWith(ENTITY)) focus = row[v].value.slice(ENTITY.length);
      }
      body.appendChild(tr);
    }
    table.appendChild(body);
    statusLine.textContent = rows.length + " row" + (rows.length === 1 ? "" : "s");
    if (focus) {
      statusLine.append(" · ");
      statusLine.appendChild(el("a", "show " + focus + " in the graph", { href: "/graph?focus=" + encodeURIComponent(focus) }));
    }
    results.replaceChildren(table);
  }

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

  // The textarea index of a 1-based line and column counted in code points (the server's unit).
  function indexOf(text, line, column) {
    let i = 0;
    for (let l = 1; l < line; l++) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) return text.length;
      i = nl + 1;
    }
    for (let c = 1; c < column && i < text.length && text[i] !== "\n"; c++) {
      i += text.codePointAt(i) > 0xFFFF ? 2 : 1;
    }
    return i;
  }

  function clearError() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
  }

  function showError(status, err, fromEditor) {
    errorBox.replaceChildren(el("p", (status ? status + " · " : "") + err.message, { class: "error" }));
    if (err.pointer) errorBox.appendChild(el("pre", err.pointer, { class: "pointer" }));
    if (fromEditor && err.line !== null) {
      const go = el("button", "Show line " + err.line + ", column " + err.column + " in the editor",
                    { type: "button", class: "goto" });
      go.addEventListener("click", () => {
        const i = indexOf(textarea.value, err.line, err.column);
        textarea.focus();
        textarea.setSelectionRange(i, Math.min(i + 1, textarea.value.length));
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

  async function run(event) {
    event.preventDefault();
    statusLine.textContent = "Running…";
    results.replaceChildren();
    clearError();
    const fromEditor = !(selected && selected.params.length);
    const started = performance.now();
    let resp;
    try {
      resp = await fetch(requestUrl(null), { headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
    } catch (err) {
      statusLine.textContent = "";
      showError(null, { message: "The server could not be reached: " + err, pointer: "", parser: "", line: null }, false);
      return;
    }
    const ms = Math.round(performance.now() - started);
    const type = (resp.headers.get("content-type") || "").split(";")[0];
    if (!resp.ok) {
      statusLine.textContent = "";
      results.replaceChildren();
      showError(resp.status, readError(type, await resp.text()), fromEditor);
      return;
    }
    if (type === "application/sparql-results+json") {
      const json = await resp.json();
      if ("boolean" in json) {
        statusLine.textContent = "";
        results.replaceChildren(el("p", "Answer: " + json.boolean));
      } else {
        renderSelect(json);
      }
    } else {
      statusLine.textContent = "";
      results.replaceChildren(el("pre", await resp.text(), { class: "rdf" }));
    }
    statusLine.append(" (" + ms + " ms)");
  }

  picker.addEventListener("change", () => choose(picker.value));
  textarea.addEventListener("input", () => {
    if (selected) { selected = null; picker.value = ""; paramsBox.replaceChildren(); description.textContent = ""; }
  });
  form.addEventListener("submit", run);
  for (const link of document.querySelectorAll(".downloads a[data-format]")) {
    link.addEventListener("click", (event) => { link.href = requestUrl(link.dataset.format); });
  }
})();
