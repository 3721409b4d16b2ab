// The article page: a relation and the sentence it comes from point at each other.
// Selecting a relation (click, or its predicate button) scrolls its sentence into view and
// marks it; selecting a highlighted sentence (click, Enter or Space) marks its relations.
// A link to #t3 opens with relation t3 selected.
(function () {
  "use strict";
  const smooth = window.matchMedia("(prefers-reduced-motion: no-preference)").matches;

  function clear() {
    for (const el of document.querySelectorAll(".is-current")) {
      el.classList.remove("is-current");
      el.removeAttribute("aria-current");
    }
  }

  function mark(el) {
    el.classList.add("is-current");
    el.setAttribute("aria-current", "true");
  }

  function show(el, block) {
    el.scrollIntoView({ block: block, behavior: smooth ? "smooth" : "auto" });
  }

  function selectTriple(li) {
    clear();
    mark(li);
    const sentence = document.getElementById(li.dataset.sentence || "");
    if (sentence) {
      mark(sentence);
      show(sentence, "center");
    }
  }

  function selectSentence(sentence) {
    clear();
    mark(sentence);
    const ids = (sentence.dataset.triples || "").split(" ").filter(Boolean);
    ids.forEach(function (id, i) {
      const li = document.getElementById(id);
      if (li) {
        mark(li);
        if (i === 0) show(li, "nearest");
      }
    });
  }

  document.addEventListener("click", function (ev) {
    if (ev.target.closest("a")) return;  // a link keeps its own meaning
    const li = ev.target.closest("li.triple[data-sentence]");
    if (li) {
      selectTriple(li);
      return;
    }
    const sentence = ev.target.closest("mark.evidence[data-triples]");
    if (sentence) selectSentence(sentence);
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    const sentence = ev.target.closest && ev.target.closest("mark.evidence[data-triples]");
    if (sentence && ev.target === sentence) {
      ev.preventDefault();
      selectSentence(sentence);
    }
  });

  const first = location.hash && document.getElementById(location.hash.slice(1));
  if (first && first.matches("li.triple[data-sentence]")) selectTriple(first);
})();
