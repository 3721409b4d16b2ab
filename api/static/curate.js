// The curator's buttons on the entity page, on /curation and in the evidence panel of /graph:
// reject and accept relations, merge, split, rename, aliases, type, Wikidata link, add a
// relation by hand, and undo any operation from the history on /curation.
//
// A curator signs in once per browser session: the token is checked against
// GET /curation/whoami and kept in sessionStorage (never in a URL or a cookie). Without it
// the pages show no button. Each action first says in words what will change and asks for
// confirmation; then it POSTs to /curation/* with "Authorization: Bearer <token>" and shows
// the result (after reloading the page, which now shows the curated graph) or the server's
// one-line error. Every text from the graph is set as text, never as markup.
(function () {
  "use strict";
  var TOKEN = "aikg-curator-token";
  var NAME = "aikg-curator-name";
  var FLASH = "aikg-curator-flash";
  var box = document.getElementById("curator");
  if (!box) return;
  var form = document.getElementById("curator-signin");
  var field = document.getElementById("curator-token");
  var who = document.getElementById("curator-who");
  var status = document.getElementById("curator-status");
  var TYPES = ["Organization", "Person", "AIModel", "Product"];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function token() { return sessionStorage.getItem(TOKEN); }
  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("bad", !!bad);
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ------------------------------------------------------------------- the server
  function detailOf(resp) {
    return resp.json().then(function (body) {
      var d = body && body.detail;
      if (Array.isArray(d)) d = d.map(function (x) { return (x.loc || []).slice(1).join(".") + ": " + x.msg; }).join("; ");
      return String(d || resp.statusText).split("\n")[0];
    }, function () { return resp.statusText; });
  }
  function call(method, route, body) {
    var headers = { "Authorization": "Bearer " + token() };
    if (body) headers["Content-Type"] = "application/json";
    return fetch("/curation/" + route, {
      method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
      credentials: "omit", cache: "no-store"
    }).then(function (resp) {
      if (resp.ok) return resp.json();
      return detailOf(resp).then(function (d) {
        var err = new Error("The server refused (" + resp.status + "): " + d);
        err.status = resp.status;
        throw err;
      });
    }, function () { throw new Error("The server could not be reached; nothing was changed."); });
  }

  // ------------------------------------------------------------------- sign-in
  function showSignedIn() {
    var on = !!token();
    form.hidden = on;
    who.hidden = !on;
    document.getElementById("curator-name").textContent = on ? sessionStorage.getItem(NAME) || "" : "";
    document.body.classList.toggle("curating", on);
    draw();
  }
  function signOut(message, bad) {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(NAME);
    showSignedIn();
    if (message) say(message, bad);
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var given = field.value.trim();
    if (!given) { say("Enter the server's token.", true); return; }
    sessionStorage.setItem(TOKEN, given);
    call("GET", "whoami").then(function (me) {
      field.value = "";
      sessionStorage.setItem(NAME, me.name);
      say("Signed in as " + me.name + " for this browser session.");
      showSignedIn();
    }, function (err) {
      sessionStorage.removeItem(TOKEN);
      say(err.status === 401 ? "The server refused this token (401); you are not signed in." : err.message, true);
      field.focus();
    });
  });
  document.getElementById("curator-signout").addEventListener("click", function () {
    signOut("Signed out: the token is forgotten.");
  });

  // ------------------------------------------------------------------- confirmation
  var dialog = null;
  var pending = null;
  function makeDialog() {
    dialog = el("dialog", null, "curate-dialog");
    dialog.id = "curate-dialog";
    dialog.setAttribute("aria-labelledby", "curate-dialog-title");
    dialog.setAttribute("aria-describedby", "curate-dialog-text");
    dialog.appendChild(el("h2", "Confirm the change", null)).id = "curate-dialog-title";
    dialog.appendChild(el("p", "", "what")).id = "curate-dialog-text";
    var label = el("label", "Why (optional, kept with the change) ");
    var reason = el("input");
    reason.id = "curate-reason";
    reason.type = "text";
    reason.maxLength = 2000;
    label.appendChild(reason);
    dialog.appendChild(label);
    var error = el("p", "", "error");
    error.id = "curate-error";
    error.setAttribute("role", "alert");
    dialog.appendChild(error);
    var buttons = el("div", null, "buttons");
    var ok = el("button", "Confirm");
    ok.type = "button";
    ok.id = "curate-confirm";
    var cancel = el("button", "Cancel");
    cancel.type = "button";
    cancel.id = "curate-cancel";
    buttons.appendChild(ok);
    buttons.appendChild(cancel);
    dialog.appendChild(buttons);
    document.body.appendChild(dialog);
    cancel.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      if (pending && pending.opener && document.contains(pending.opener)) pending.opener.focus();
      pending = null;
    });
    ok.addEventListener("click", function () {
      if (!pending) return;
      var action = pending;
      var body = Object.assign({}, action.body);
      if (reason.value.trim()) body.reason = reason.value.trim();
      ok.disabled = true;
      error.textContent = "";
      call("POST", action.route, body).then(function (change) {
        var op = change.operation;
        sessionStorage.setItem(FLASH, "Done: " + action.done + " (" + op.type + " " + op.id + " by " + op.by +
          "; " + plural(change.removed, "triple", "triples") + " removed and " + change.added +
          " added in the curated graph).");
        location.reload();
      }, function (err) {
        ok.disabled = false;
        error.textContent = err.message;
        if (err.status === 401) {
          error.textContent = err.message + " You are signed out; sign in again with the right token.";
          signOut();  // the page's buttons go; this dialog stays to show why
        }
      });
    });
  }
  function confirmAction(opener, text, route, body, done) {
    if (!dialog) makeDialog();
    say("");
    pending = { opener: opener, route: route, body: body, done: done };
    document.getElementById("curate-dialog-text").textContent = text;
    document.getElementById("curate-reason").value = "";
    document.getElementById("curate-error").textContent = "";
    document.getElementById("curate-confirm").disabled = false;
    dialog.showModal();
    document.getElementById("curate-confirm").focus();
  }

  // ------------------------------------------------------------------- relations
  function relationOf(data) {
    return { subject: data.subject, subjectLabel: data.subjectLabel, predicate: data.predicate,
             object: data.object, objectLabel: data.objectLabel,
             statements: Number(data.statements || 0), sources: Number(data.sources || 0) };
  }
  function relationText(r) { return r.subjectLabel + " " + r.predicate + " " + r.objectLabel; }
  function support(r) {
    if (!r.statements && !r.sources) return "";
    var parts = [];
    if (r.statements) parts.push(plural(r.statements, "statement", "statements"));
    if (r.sources) parts.push((r.statements ? "from " : "in ") + plural(r.sources, "article", "articles"));
    return " (" + parts.join(" ") + ")";
  }
  function relationButtons(r, verbs) {
    var span = el("span", null, "curate-actions");
    verbs.forEach(function (verb) {
      var b = el("button", verb === "reject" ? "Reject" : "Accept", "curate " + verb);
      b.type = "button";
      b.setAttribute("aria-label", (verb === "reject" ? "Reject " : "Accept ") + relationText(r));
      b.addEventListener("click", function () {
        var body = { subject: r.subject, predicate: r.predicate, object: r.object };
        if (verb === "reject") {
          confirmAction(b, "Reject: " + relationText(r) + support(r) + ". Readers will no longer see it; " +
            "it stays rejected when new articles state it, until someone accepts it.", "reject", body,
            "rejected " + relationText(r));
        } else {
          confirmAction(b, "Accept: " + relationText(r) + support(r) + ". It is marked reviewed and shown " +
            "whatever its confidence; a rejection of it no longer holds.", "accept", body,
            "accepted " + relationText(r));
        }
      });
      span.appendChild(b);
    });
    return span;
  }
  function slotOf(node) { return node.querySelector(".curate-slot") || node; }
  function ref(slug) { return "ent:" + slug; }

  // ------------------------------------------------------------------- entities
  var ENTITY_ACTIONS = [
    { value: "merge", text: "Merge into another entity", field: "The entity to merge it into (name or ent:slug)" },
    { value: "rename", text: "Rename", field: "The new name" },
    { value: "alias", text: "Add an alias", field: "The alias" },
    { value: "unalias", text: "Remove an alias", field: "The alias to remove" },
    { value: "retype", text: "Change the type", field: "The new type (" + TYPES.join(", ") + ")" },
    { value: "link", text: "Link to Wikidata", field: "The Wikidata id, e.g. Q95 (empty: remove the link)" }
  ];
  function aliasesOf(d) {
    try { var a = JSON.parse(d.aliases || "[]"); return Array.isArray(a) ? a.map(String) : []; } catch (x) { return []; }
  }
  function entityForm(host) {
    var d = host.dataset;
    var e = { ref: ref(d.slug), label: d.label, type: d.type || "", wikidata: d.wikidata || "", aliases: aliasesOf(d) };
    var f = el("form", null, "curate-entity");
    f.setAttribute("aria-label", "Curate " + e.label);
    var pick = el("select");
    pick.id = "curate-action";
    ENTITY_ACTIONS.forEach(function (a) { var o = el("option", a.text); o.value = a.value; pick.appendChild(o); });
    var l1 = el("label", "Change ");
    l1.appendChild(pick);
    var input = el("input");
    input.id = "curate-value";
    input.type = "text";
    input.maxLength = 2000;
    var known = el("datalist");
    known.id = "curate-aliases";
    e.aliases.forEach(function (a) { var o = el("option"); o.value = a; known.appendChild(o); });
    var l2 = el("label", "");
    var l2text = el("span", ENTITY_ACTIONS[0].field);
    l2.appendChild(l2text);
    l2.appendChild(document.createTextNode(" "));
    l2.appendChild(input);
    var go = el("button", "Review the change");
    go.type = "submit";
    f.appendChild(el("h2", "Curate this entity"));
    f.appendChild(l1);
    f.appendChild(l2);
    f.appendChild(known);
    f.appendChild(go);
    pick.addEventListener("change", function () {
      var a = ENTITY_ACTIONS.filter(function (x) { return x.value === pick.value; })[0];
      l2text.textContent = pick.value === "unalias" && e.aliases.length ?
        a.field + " (" + e.aliases.join(", ") + ")" : a.field;
      input.value = pick.value === "link" ? e.wikidata : "";
      if (pick.value === "unalias") input.setAttribute("list", known.id);
      else input.removeAttribute("list");
    });
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var v = input.value.trim();
      var what = pick.value;
      if (!v && what !== "link") { say("Fill in: " + l2text.textContent + ".", true); input.focus(); return; }
      if (what === "merge") {
        confirmAction(go, "Merge: " + e.label + (e.type ? " (" + e.type + ")" : "") + " into " + v + ". " +
          e.label + " is then shown as " + v + " everywhere: its relations become " + v + "'s, its names " +
          v + "'s aliases, and its page leads to " + v + "'s. A split takes it back.", "merge",
          { source: e.ref, target: v }, "merged " + e.label + " into " + v);
      } else if (what === "rename") {
        confirmAction(go, "Rename: " + e.label + " is called \u201c" + v + "\u201d. The names articles use " +
          "stay as aliases.", "rename", { entity: e.ref, name: v }, "renamed " + e.label + " to " + v);
      } else if (what === "alias") {
        confirmAction(go, "Add an alias: " + e.label + " is also called \u201c" + v + "\u201d.", "alias",
          { entity: e.ref, alias: v }, "added the alias " + v + " to " + e.label);
      } else if (what === "unalias") {
        var have = e.aliases.filter(function (a) { return a.toLowerCase() === v.toLowerCase(); })[0];
        if (!have) {
          say(v + " is not an alias of " + e.label + (e.aliases.length ? "; its aliases are: " + e.aliases.join(", ") :
            "; it has none") + ".", true);
          input.focus();
          return;
        }
        confirmAction(go, "Remove an alias: " + e.label + " is no longer also called \u201c" + have + "\u201d; " +
          "the articles that use the name keep it in their own graphs.", "alias",
          { entity: e.ref, alias: have, remove: true }, "removed the alias " + have + " from " + e.label);
      } else if (what === "retype") {
        var t = TYPES.filter(function (x) { return x.toLowerCase() === v.toLowerCase(); })[0] || v;
        confirmAction(go, "Change the type: " + e.label + " becomes " + t + (e.type ? " (now " + e.type + ")" : "") +
          ", whatever type the articles gave it.", "retype", { entity: e.ref, type: t },
          "made " + e.label + " " + t);
      } else if (!v) {
        confirmAction(go, "Remove the Wikidata link of " + e.label + (e.wikidata ? " (now " + e.wikidata + ")" : "") +
          ".", "link", { entity: e.ref, wikidata: null }, "removed the Wikidata link of " + e.label);
      } else {
        confirmAction(go, "Link to Wikidata: " + e.label + " is " + v + (e.wikidata ? " (now " + e.wikidata + ")" : "") +
          ", instead of any item the articles gave.", "link", { entity: e.ref, wikidata: v },
          "linked " + e.label + " to " + v);
      }
    });
    return f;
  }

  // A relation added by hand: this entity at one end, a named source and its sentence.
  function addForm(host) {
    var d = host.dataset;
    var e = { ref: ref(d.slug), label: d.label };
    var preds = (d.predicates || "").split(" ").filter(Boolean);
    var f = el("form", null, "curate-add");
    f.setAttribute("aria-label", "Add a relation of " + e.label + " by hand");
    f.appendChild(el("h2", "Add a relation by hand"));
    function field(label, node, id) {
      node.id = id;
      var l = el("label", label + " ");
      l.appendChild(node);
      f.appendChild(l);
      return node;
    }
    var side = el("select");
    [["subject", e.label + " is the subject"], ["object", e.label + " is the object"]].forEach(function (x) {
      var o = el("option", x[1]); o.value = x[0]; side.appendChild(o);
    });
    field("Direction", side, "curate-add-side");
    var pred = el("select");
    preds.forEach(function (p) { var o = el("option", p); o.value = p; pred.appendChild(o); });
    field("Relation", pred, "curate-add-predicate");
    var other = el("input");
    other.type = "text";
    other.maxLength = 2000;
    field("The other entity (name or ent:slug)", other, "curate-add-other");
    var url = el("input");
    url.type = "url";
    url.maxLength = 2000;
    url.placeholder = "https://";
    field("Source address", url, "curate-add-url");
    var quote = el("textarea");
    quote.rows = 2;
    quote.maxLength = 2000;
    field("The source's sentence that states it", quote, "curate-add-quote");
    var go = el("button", "Review the addition");
    go.type = "submit";
    f.appendChild(go);
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var o = other.value.trim(), u = url.value.trim(), q = quote.value.trim();
      var missing = !o ? [other, "the other entity"] : !/^https?:\/\/\S+$/.test(u) ? [url, "an http(s) source address"] :
        !q ? [quote, "the source's sentence"] : null;
      if (missing) { say("Fill in: " + missing[1] + ".", true); missing[0].focus(); return; }
      var first = side.value === "subject";
      var sLabel = first ? e.label : o, oLabel = first ? o : e.label;
      confirmAction(go, "Add by hand: " + sLabel + " " + pred.value + " " + oLabel + ", from " + u + ": \u201c" + q +
        "\u201d. It is shown as reviewed, whatever the threshold, with this source as its evidence; an undo takes it " +
        "back.", "add", { subject: first ? e.ref : o, predicate: pred.value, object: first ? o : e.ref, url: u, quote: q },
        "added " + sLabel + " " + pred.value + " " + oLabel);
    });
    return f;
  }
  // One button in its own span: ``confirm(button)`` opens the confirmation when clicked.
  function actionButton(text, cls, label, confirm) {
    var span = el("span", null, "curate-actions");
    var b = el("button", text, "curate " + cls);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.addEventListener("click", function () { confirm(b); });
    span.appendChild(b);
    return span;
  }
  function mergeButton(d) {
    return actionButton("Merge", "merge", "Merge " + d.sourceLabel + " into " + d.targetLabel, function (b) {
      confirmAction(b, "Merge: " + d.sourceLabel + " into " + d.targetLabel + (d.type ? " (both " + d.type + ")" : "") +
        ". " + d.sourceLabel + " is then shown as " + d.targetLabel + " everywhere: its relations become " +
        d.targetLabel + "'s, its names " + d.targetLabel + "'s aliases, and its page leads to " + d.targetLabel +
        "'s. A split takes it back.", "merge", { source: d.source, target: d.target },
        "merged " + d.sourceLabel + " into " + d.targetLabel);
    });
  }
  function splitButton(d) {
    return actionButton("Split", "split", "Split " + d.sourceLabel + " out of " + d.targetLabel, function (b) {
      confirmAction(b, "Split: " + d.sourceLabel + " out of " + d.targetLabel + ". " + d.sourceLabel +
        " gets its own page back, with the relations and names the articles give it; the merge stays in the history.",
        "split", { source: d.source, target: d.target }, "split " + d.sourceLabel + " out of " + d.targetLabel);
    });
  }
  function undoButton(d) {
    return actionButton("Undo", "undo", "Undo: " + d.what, function (b) {
      confirmAction(b, "Undo: " + d.what + " (by " + d.by + ", " + d.created + " UTC). The graph then reads as if it " +
        "had not been made; the history keeps both.", "undo", { operation: d.operation }, "undid: " + d.what);
    });
  }

  // ------------------------------------------------------------------- drawing
  function clear() {
    document.querySelectorAll(".curate-actions, .curate-panel, form.curate-entity, form.curate-add")
      .forEach(function (n) { n.remove(); });
  }
  function draw() {
    clear();
    if (!token()) return;
    document.querySelectorAll("[data-curate-relation]").forEach(function (node) {
      var verbs = node.dataset.curateRelation === "rejected" ? ["accept"] : ["reject", "accept"];
      slotOf(node).appendChild(relationButtons(relationOf(node.dataset), verbs));
    });
    [["[data-curate-merge]", mergeButton], ["[data-curate-split]", splitButton], ["[data-curate-undo]", undoButton]]
      .forEach(function (kind) {
        document.querySelectorAll(kind[0]).forEach(function (node) {
          slotOf(node).appendChild(kind[1](node.dataset));
        });
      });
    var host = document.getElementById("entity-curate");
    if (host) {
      host.appendChild(entityForm(host));
      host.appendChild(addForm(host));
    }
    if (lastEdge) edgeButtons(lastEdge);
  }

  // The evidence panel of /graph: graph.js says which relation it shows.
  var lastEdge = null;
  function edgeButtons(detail) {
    if (!token() || !document.contains(detail.container)) return;
    var r = { subject: detail.subject, subjectLabel: detail.subjectLabel, predicate: detail.predicate,
              object: detail.object, objectLabel: detail.objectLabel,
              statements: detail.statements || 0, sources: detail.sources || 0 };
    var p = el("p", null, "curate-panel");
    p.appendChild(relationButtons(r, ["reject", "accept"]));
    var heading = detail.container.querySelector("h2");
    if (heading && heading.nextSibling) detail.container.insertBefore(p, heading.nextSibling.nextSibling);
    else detail.container.appendChild(p);
  }
  document.addEventListener("aikg:edge-shown", function (ev) {
    lastEdge = ev.detail;
    edgeButtons(ev.detail);
  });

  var flash = sessionStorage.getItem(FLASH);
  if (flash) {
    sessionStorage.removeItem(FLASH);
    say(flash);
  }
  showSignedIn();
})();
