(function () {
  "use strict";

  // ---- edit semantics: a mirror of mtreview/fixes.py (edit_order, conflicts, select_edits,
  // apply_edits). Offsets count code points, as Python's do; text is handled as an array of them.
  function comparePy(a, b) {
    // Python compares str by code point; JS "<" compares UTF-16 units (different past U+FFFF)
    const x = Array.from(a), y = Array.from(b);
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const p = x[i].codePointAt(0), q = y[i].codePointAt(0);
      if (p !== q) return p < q ? -1 : 1;
    }
    return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
  }
  function editOrder(a, b) {
    return a.start - b.start || b.end - a.end || comparePy(a.replacement, b.replacement);
  }
  function conflicts(a, b) {
    return a.start === b.start || (a.start < b.end && b.start < a.end);
  }
  function selectEdits(edits) {
    const kept = [];
    for (const edit of edits.slice().sort(editOrder)) {
      if (kept.length && conflicts(kept[kept.length - 1], edit)) continue;
      kept.push(edit);
    }
    return kept;
  }
  function applyEdits(chars, edits) {
    for (const e of edits) {
      if (!(0 <= e.start && e.start <= e.end && e.end <= chars.length)) {
        throw new Error("edit " + e.start + ".." + e.end + " is outside the text (length " + chars.length + ")");
      }
    }
    const out = [];
    let pos = 0;
    for (const e of selectEdits(edits)) {
      out.push(chars.slice(pos, e.start).join(""), e.replacement);
      pos = e.end;
    }
    out.push(chars.slice(pos).join(""));
    return out.join("");
  }
  window.mtreviewEdits = {
    selectEdits: selectEdits,
    applyEdits: function (text, edits) { return applyEdits(Array.from(text), edits); },
  };


  // ---- data and state ----
  const DATA = JSON.parse(document.getElementById("mtreview-data").textContent);
  const RANK = { error: 3, warning: 2, info: 1 };
  const LONG = 80; // code points: an info finding longer than this is a note on a sentence (a margin marker)
  const SCHEMA = "mtreview-decisions/2";
  const MAX_UNDO = 200;
  const files = DATA.files.map(function (f) {
    const byId = new Map();
    f.findings.forEach(function (x) { byId.set(x.id, x); });
    const g = Object.assign({}, f, { chars: Array.from(f.text), byId: byId, decisions: {}, edits: [], undo: [] });
    load(g);
    return g;
  });
  let fileIndex = 0;
  let current = null; // id of the selected finding
  let view = "article"; // the article pane's tab: article | preview | changes
  let editing = null; // index of the paragraph being edited
  let sideBySide = false; // a translation beside its source, row by row (pages with a source)
  const $ = function (id) { return document.getElementById(id); };
  const phone = window.matchMedia ? window.matchMedia("(max-width: 700px)") : { matches: false };

  function isMargin(x) { return x.severity === "info" && x.end - x.start > LONG; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many || one + "s"); }

  // Decisions, the editor's own edits and the undo history are kept in localStorage under the
  // text's hash, so a reload (or the same text in another report) finds them again.
  function storageKey(f) { return "mtreview:decisions:" + f.hash; }
  function load(f) {
    try {
      const raw = window.localStorage.getItem(storageKey(f));
      const parsed = raw ? JSON.parse(raw) : null;
      if (!parsed || typeof parsed !== "object") return;
      if (parsed.decisions && typeof parsed.decisions === "object") f.decisions = clean(f, parsed.decisions);
      f.edits = cleanEdits(f, parsed.edits);
      f.undo = Array.isArray(parsed.undo) ? parsed.undo.filter(function (s) {
        return s && typeof s === "object" && s.decisions && typeof s.decisions === "object";
      }).map(function (s) { return { decisions: clean(f, s.decisions), edits: cleanEdits(f, s.edits) }; }) : [];
    } catch (e) { /* unreadable storage: start afresh */ }
  }
  function clean(f, decisions) {
    // keep only decisions about findings of this text, in the expected shape
    const out = {};
    Object.keys(decisions).forEach(function (id) {
      const d = decisions[id];
      if (!f.byId.has(id) || !d || (d.status !== "accepted" && d.status !== "rejected")) return;
      const c = { status: d.status, replacement: typeof d.replacement === "string" ? d.replacement : null };
      if (d.status === "accepted" && typeof d.merged === "string") { c.merged = d.merged; c.replacement = null; }
      out[id] = c;
    });
    return out;
  }
  function cleanEdits(f, edits) {
    if (!Array.isArray(edits)) return [];
    const n = f.chars.length;
    return edits.filter(function (e) {
      return e && typeof e.id === "string" && Number.isInteger(e.start) && Number.isInteger(e.end) &&
        e.start >= 0 && e.start <= e.end && e.end <= n && typeof e.replacement === "string";
    }).map(function (e) { return { id: e.id, start: e.start, end: e.end, replacement: e.replacement }; });
  }
  function save(f) {
    try {
      window.localStorage.setItem(storageKey(f), JSON.stringify({ schema: SCHEMA, decisions: f.decisions, edits: f.edits,
        undo: f.undo.slice(-MAX_UNDO) }));
    } catch (e) { /* storage full or disabled: decisions last for this page only */ }
  }
  function file() { return files[fileIndex]; }

  function replacementOf(f, x) {
    const d = f.decisions[x.id];
    if (d && typeof d.replacement === "string") return d.replacement;
    const input = document.querySelector('.card[data-id="' + cssId(x.id) + '"] .edit');
    if (input && input.value !== (x.suggestions[0] || "")) return input.value;
    return x.suggestions.length ? x.suggestions[0] : null;
  }
  function cssId(id) { return id.replace(/["\\]/g, "\\$&"); }
  // Every edit the editor has chosen: accepted suggestions and their own edits, in the offsets
  // of the original text; applied by the rule of select_edits, as `mtreview fix --decisions` does.
  function acceptedEdits(f) {
    const edits = [];
    f.findings.forEach(function (x) {
      const d = f.decisions[x.id];
      if (d && d.status === "accepted" && typeof d.replacement === "string") {
        edits.push({ start: x.start, end: x.end, replacement: d.replacement, id: x.id });
      }
    });
    f.edits.forEach(function (e) { edits.push({ start: e.start, end: e.end, replacement: e.replacement, id: e.id, user: true }); });
    return edits;
  }
  function correctedText(f) { return applyEdits(f.chars, acceptedEdits(f)); }
  function label(f, id) {
    const x = f.byId.get(id);
    return x ? "#" + x.n : "your edit";
  }
  // Accepted edits that an earlier accepted edit overlaps are not applied (the rule of
  // select_edits): id -> the id of the edit that is applied there. Never silent: the card
  // says so and offers to apply this one instead.
  function notApplied(f) {
    const edits = acceptedEdits(f);
    const kept = selectEdits(edits);
    const keptIds = new Set(kept.map(function (e) { return e.id; }));
    const out = new Map();
    edits.forEach(function (e) {
      if (keptIds.has(e.id)) return;
      const winner = kept.find(function (k) { return conflicts(k, e); });
      if (winner) out.set(e.id, winner.id);
    });
    return out;
  }
  function applyInstead(id) {
    const f = file();
    const other = notApplied(f).get(id);
    if (!other) return;
    const name = label(f, id);
    if (f.byId.has(other)) {
      decide([{ id: other, decision: null }], label(f, other) + " reopened: " + name + " is applied instead.");
    } else {
      commit(f, function () {
        f.edits = f.edits.filter(function (e) { return e.id !== other; });
        return true;
      }, "Your edit there is removed: " + name + " is applied instead.");
    }
  }

  // ---- decisions and edits: each change is one undo step (a snapshot of both) ----
  function snapshot(f) {
    return { decisions: JSON.parse(JSON.stringify(f.decisions)), edits: f.edits.map(function (e) { return Object.assign({}, e); }) };
  }
  function commit(f, mutate, message) {
    const before = snapshot(f);
    if (!mutate()) { say("Nothing to change."); return false; }
    f.undo.push(before);
    if (f.undo.length > MAX_UNDO) f.undo.shift();
    save(f);
    refresh();
    say(message);
    return true;
  }
  function decide(changes, message) {
    const f = file();
    return commit(f, function () {
      changes.forEach(function (c) { if (c.decision) f.decisions[c.id] = c.decision; else delete f.decisions[c.id]; });
      return changes.length > 0;
    }, message);
  }
  function accept(id) {
    const f = file(), x = f.byId.get(id);
    const replacement = replacementOf(f, x);
    if (replacement === null) { say("No suggestion to accept: type one in the edit box first."); return; }
    decide([{ id: id, decision: { status: "accepted", replacement: replacement } }], "Accepted #" + x.n + ".");
  }
  function reject(id) {
    const x = file().byId.get(id);
    decide([{ id: id, decision: { status: "rejected", replacement: null } }], "Rejected #" + x.n + ".");
  }
  function reopen(id) {
    const x = file().byId.get(id);
    decide([{ id: id, decision: null }], "Reopened #" + x.n + ".");
  }
  function acceptAll(which, one, many) {
    const f = file();
    const changes = f.findings.filter(function (x) {
      return which(x) && x.suggestions.length && !f.decisions[x.id];
    }).map(function (x) { return { id: x.id, decision: { status: "accepted", replacement: x.suggestions[0] } }; });
    decide(changes, "Accepted " + plural(changes.length, one, many) + ".");
  }
  function acceptAllSafe() { acceptAll(function (x) { return x.fix === "safe"; }, "safe edit"); }
  function acceptRule(rule) { acceptAll(function (x) { return x.rule === rule; }, "edit of " + rule, "edits of " + rule); }
  function undo() {
    const f = file();
    const step = f.undo.pop();
    if (!step) return;
    f.decisions = step.decisions;
    f.edits = step.edits;
    save(f);
    refresh();
    say("Undone.");
  }
  function removeEdit(id) {
    const f = file();
    commit(f, function () {
      const before = f.edits.length;
      f.edits = f.edits.filter(function (e) { return e.id !== id; });
      Object.keys(f.decisions).forEach(function (k) { if (f.decisions[k].merged === id) delete f.decisions[k]; });
      return f.edits.length !== before;
    }, "Your edit is removed.");
  }

  // ---- filters: each list's counts are of the findings the other filters leave ----
  function filterState() {
    return {
      sev: { error: $("f-error").checked, warning: $("f-warning").checked, info: $("f-info").checked },
      category: $("f-category").value, rule: $("f-rule").value, source: $("f-source").value, status: $("f-status").value,
    };
  }
  function passes(f, x, st, skip) {
    const d = f.decisions[x.id];
    const status = d ? d.status : "open";
    return st.sev[x.severity] && (skip === "category" || !st.category || x.category === st.category) &&
      (skip === "rule" || !st.rule || x.rule === st.rule) && (skip === "source" || !st.source || x.source === st.source) &&
      (!st.status || st.status === status);
  }
  function visible(f) {
    const st = filterState();
    const list = f.findings.filter(function (x) { return passes(f, x, st, null); });
    const sort = $("sort").value;
    if (sort === "severity") list.sort(function (a, b) { return RANK[b.severity] - RANK[a.severity] || a.start - b.start; });
    else if (sort === "rule") list.sort(function (a, b) { return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.start - b.start; });
    return list;
  }
  function fillFacet(select, f, key, st) {
    const keep = select.value;
    const counts = {};
    f.findings.forEach(function (x) { if (!(x[key] in counts)) counts[x[key]] = 0; });
    f.findings.forEach(function (x) { if (passes(f, x, st, key)) counts[x[key]] += 1; });
    while (select.options.length > 1) select.remove(1);
    Object.keys(counts).sort().forEach(function (k) {
      const o = document.createElement("option");
      o.value = k;
      o.textContent = k + " (" + counts[k] + ")";
      select.appendChild(o);
    });
    select.value = keep in counts ? keep : "";
  }
  function renderFilters(f, shown) {
    const st = filterState();
    fillFacet($("f-category"), f, "category", st);
    fillFacet($("f-rule"), f, "rule", st);
    fillFacet($("f-source"), f, "source", st);
    const all = f.findings.length;
    $("filter-result").textContent = "Showing " + shown.length + " of " + plural(all, "finding") + ".";
    $("filter-count").textContent = shown.length === all ? "" : "(" + shown.length + " of " + all + ")";
  }
  function resetFilters() {
    ["f-error", "f-warning", "f-info"].forEach(function (id) { $(id).checked = true; });
    ["f-category", "f-rule", "f-source", "f-status"].forEach(function (id) { $(id).value = ""; });
    refresh();
  }

  // ---- rendering ----
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function button(cls, text, onClick, labelText) {
    const b = el("button", cls, text);
    b.type = "button";
    if (labelText) b.setAttribute("aria-label", labelText);
    b.addEventListener("click", onClick);
    return b;
  }
  function mqmOf(f) {
    return (f.scores || []).find(function (s) { return s.by_severity && s.weights; }) || null;
  }
  function statusCounts(f) {
    const out = { open: 0, accepted: 0, rejected: 0 };
    f.findings.forEach(function (x) { const d = f.decisions[x.id]; out[d ? d.status : "open"] += 1; });
    return out;
  }
  // One line: words, findings by severity, the quality score, decisions and applied edits;
  // the categories, scores in full, notes and legend are folded under Details.
  function renderHeader(f) {
    $("file-title").textContent = f.path;
    // <source>
    renderSourceLine(f);
    // </source>
    document.title = "mtreview · " + f.name;
    const s = $("summary");
    s.textContent = "";
    const sev = f.by_severity;
    s.appendChild(el("span", null, f.words + " words"));
    ["error", "warning", "info"].forEach(function (k) {
      s.appendChild(el("span", "sev-chip " + k, k === "info" ? sev.info + " info" : plural(sev[k], k)));
    });
    const mqm = mqmOf(f);
    if (mqm) s.appendChild(el("span", null, "MQM " + mqm.value));
    const st = statusCounts(f);
    s.appendChild(el("span", "muted", st.accepted + st.rejected + " of " + f.findings.length + " decided"));
    const accepted = acceptedEdits(f).length, dropped = notApplied(f).size;
    const counter = el("span", dropped ? "applied-count warn" : "applied-count",
      (accepted - dropped) + " of " + plural(accepted, "accepted edit") + " applied" +
      (dropped ? " (" + dropped + " overlap" + (dropped === 1 ? "s" : "") + " another: see its card)" : ""));
    counter.id = "applied-count";
    counter.hidden = accepted === 0; // nothing to count yet
    s.appendChild(counter);
    $("categories").textContent = Object.keys(f.by_category).map(function (k) { return k + " " + f.by_category[k]; }).join(" · ");
    renderScores(f);
  }

  // ---- several articles: an overview table first, each row linking to the article's review
  function worst(f) {
    return f.findings.slice().sort(function (a, b) { return RANK[b.severity] - RANK[a.severity] || a.start - b.start; }).slice(0, 3);
  }
  function renderOverview() {
    const box = $("overview");
    box.textContent = "";
    const words = files.reduce(function (n, f) { return n + f.words; }, 0);
    const total = files.reduce(function (n, f) { return n + f.findings.length; }, 0);
    box.appendChild(el("h2", null, plural(files.length, "article") + " · " + words + " words · " + plural(total, "finding")));
    const table = el("table", "overview-table");
    const head = el("tr");
    ["Article", "Source language", "Words", "Score", "Errors", "Warnings", "Info", "Open", "Accepted", "Rejected", "Worst findings"]
      .forEach(function (name, k) { const th = el("th", "col-" + k, name); th.scope = "col"; head.appendChild(th); });
    const thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    const body = el("tbody");
    files.forEach(function (f, i) {
      const tr = el("tr");
      const name = el("th");
      name.scope = "row";
      const a = el("a", null, f.path);
      a.href = "#article-" + i;
      name.appendChild(a);
      tr.appendChild(name);
      const mqm = mqmOf(f);
      const st = statusCounts(f);
      [f.lang_name || "not known", f.words, mqm ? mqm.value : "", f.by_severity.error, f.by_severity.warning, f.by_severity.info,
        st.open, st.accepted, st.rejected].forEach(function (v, k) { tr.appendChild(el("td", "col-" + (k + 1) + (k ? " num" : ""), String(v))); });
      const w = el("td", "worst col-10");
      worst(f).forEach(function (x) {
        const line = el("span", "worst-line");
        line.appendChild(el("span", "sev-chip " + x.severity, x.severity));
        line.appendChild(document.createTextNode(" " + x.message));
        w.appendChild(line);
      });
      tr.appendChild(w);
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
  }
  function showOverview(on) {
    $("overview").hidden = !on;
    $("review").hidden = on;
    document.querySelector(".toolbar").hidden = on;
    $("details").hidden = on;
    $("to-overview").hidden = on || files.length < 2;
    document.body.classList.toggle("overview-mode", on);
    if (on) {
      $("file-switch").value = "overview";
      $("file-title").textContent = "Articles";
      $("summary").textContent = "";
      document.title = "mtreview · " + plural(files.length, "article");
      renderOverview();
    }
  }
  // ---- scores: one box per score (readability, reference metrics, MQM), its headline and
  // its figures; for the reference, the weakest segments beside their reference.
  const SCORE_FIELDS = {
    readability: [["flesch_kincaid_grade", "Flesch–Kincaid grade"], ["flesch_reading_ease", "Flesch Reading Ease"],
      ["gunning_fog", "Gunning fog"], ["smog", "SMOG"], ["coleman_liau", "Coleman–Liau"], ["dale_chall", "Dale–Chall"],
      ["consensus_grade", "consensus grade"], ["words", "words"], ["sentences", "sentences"],
      ["avg_sentence_words", "words per sentence"], ["target", "target"]],
    mqm: [["score", "quality score"], ["penalty", "penalty points"], ["per_1000_words", "points per 1,000 words"],
      ["threshold", "pass threshold"]],
  };
  function renderScores(f) {
    const sc = $("scores");
    sc.textContent = "";
    (f.scores || []).forEach(function (score) {
      const box = el("details", "score");
      const summary = el("summary");
      summary.appendChild(el("strong", null, String(score.label) + ": "));
      summary.appendChild(document.createTextNode(String(score.value)));
      box.appendChild(summary);
      const kind = score.metrics ? "reference" : score.by_severity && score.weights ? "mqm" : "readability";
      const dl = el("dl", "figures");
      const add = function (name, value) {
        dl.appendChild(el("dt", null, name));
        dl.appendChild(el("dd", null, String(value)));
      };
      (SCORE_FIELDS[kind] || []).forEach(function (pair) { if (score[pair[0]] !== undefined) add(pair[1], score[pair[0]]); });
      if (kind === "mqm") {
        add("findings by MQM severity", Object.keys(score.by_severity).map(function (k) { return k + " " + score.by_severity[k]; }).join(", "));
        add("severity mapping", Object.keys(score.mapping).map(function (k) { return k + " → " + score.mapping[k]; }).join(", "));
      }
      if (kind === "reference") {
        Object.keys(score.metrics).forEach(function (name) {
          const m = score.metrics[name];
          add(name, (typeof m.score === "number" ? m.score.toFixed(2) : m.score) + (m.ci ? " [" + m.ci[0].toFixed(2) + "–" + m.ci[1].toFixed(2) + "]" : "") + "  " + (m.signature || ""));
        });
        if (score.alignment) add("alignment", score.alignment.method + (score.alignment.note ? ": " + score.alignment.note : ""));
      }
      box.appendChild(dl);
      if (kind === "reference" && score.segments && score.segments.worst && score.segments.worst.length) {
        box.appendChild(el("h3", null, "Weakest segments"));
        score.segments.worst.forEach(function (seg) { box.appendChild(segmentPair(seg)); });
      }
      sc.appendChild(box);
    });
  }
  function words(text) { return String(text || "").split(/(\s+)/).filter(function (w) { return w !== ""; }); }
  function diffInto(target, a, b, tag) {
    // word LCS of a against b: words of a missing from b are marked with ``tag``
    const x = words(a), y = words(b);
    const n = x.length, m = y.length;
    if (n * m > 250000) { target.appendChild(document.createTextNode(a)); return; }
    const L = [];
    for (let i = 0; i <= n; i++) L.push(new Uint16Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
      L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    }
    let i = 0, j = 0;
    while (i < n) {
      if (j < m && x[i] === y[j]) { target.appendChild(document.createTextNode(x[i])); i++; j++; }
      else if (j < m && L[i][j + 1] >= L[i + 1][j]) j++;
      else { target.appendChild(/^\s+$/.test(x[i]) ? document.createTextNode(x[i]) : el(tag, null, x[i])); i++; }
    }
  }
  function segmentPair(seg) {
    // the translation's words that no reference shares are struck; each reference's words
    // that the translation lacks are marked as insertions
    const wrap = el("div", "segment");
    wrap.appendChild(el("p", "seg-head", "segment " + (seg.index + 1) + " · chrF2 " + Number(seg.chrf).toFixed(1) +
      " · BLEU " + Number(seg.bleu).toFixed(1)));
    const refsText = seg.refs.map(function (r) { return r.text; }).join(" ");
    const hyp = el("p", "seg-hyp");
    hyp.appendChild(el("span", "seg-label", "Translation: "));
    diffInto(hyp, seg.hyp.text, refsText, "del");
    wrap.appendChild(hyp);
    seg.refs.forEach(function (r) {
      const ref = el("p", "seg-ref");
      ref.appendChild(el("span", "seg-label", "Reference (" + r.name + "): "));
      diffInto(ref, r.text, seg.hyp.text, "ins");
      wrap.appendChild(ref);
    });
    return wrap;
  }

  // <source>
  // ---- a translation with its source: the source path and language in the header, the
  // aligned source sentence on each card (the spans a check points at marked), the missing
  // sentences of the translation in place, and a side-by-side view of the aligned sentences.
  // Everything is built from offsets (code points) into the source text; nothing here
  // changes what is exported, which comes from the target text and the accepted edits alone.
  const OMISSION = "bilingual.omission";

  function sourceChars(f) {
    if (!f.source.chars) f.source.chars = Array.from(f.source.text);
    return f.source.chars;
  }
  function languageLabel(f) { return f.source && f.source.lang_name ? f.source.lang_name : "source language"; }
  function renderSourceLine(f) {
    const line = $("file-source");
    line.hidden = !f.source;
    $("file-source-path").textContent = f.source ? f.source.path : "";
    $("file-source-lang").textContent = f.source && f.source.lang_name ? " · " + f.source.lang_name : "";
    $("view-options").hidden = !f.source;
    if (!f.source) showSideBySide(false); // the article this refresh renders next is prose
  }
  // ``chars[start:end]`` into ``target``: text nodes, and a mark made by ``make(ids)`` over
  // each stretch that spans cover (spans: [start, end, id] in the same offsets)
  function markedInto(target, chars, start, end, spans, make) {
    const cuts = new Set([start, end]);
    const inside = spans.filter(function (sp) { return sp[0] < end && sp[1] > start && sp[0] < sp[1]; });
    inside.forEach(function (sp) { cuts.add(Math.max(start, sp[0])); cuts.add(Math.min(end, sp[1])); });
    const points = Array.from(cuts).sort(function (a, b) { return a - b; });
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const text = chars.slice(a, b).join("");
      const covering = inside.filter(function (sp) { return sp[0] <= a && sp[1] >= b; });
      if (!covering.length) { target.appendChild(document.createTextNode(text)); continue; }
      const mark = make(covering.map(function (sp) { return sp[2]; }));
      mark.textContent = text;
      target.appendChild(mark);
    }
  }
  function sourcePanel(f, x) {
    const a = x.aligned_source;
    const omitted = x.rule === OMISSION;
    const box = el("div", "source-panel");
    box.appendChild(el("span", "source-label", (omitted ? "Missing from the translation" : "Source") + " · " + languageLabel(f)));
    const text = el("p", "source-text");
    if (f.source.lang) text.lang = f.source.lang;
    const chars = Array.from(a.text);
    const spans = (a.marks || []).map(function (m) { return [m[0] - a.start, m[1] - a.start, x.id]; });
    markedInto(text, chars, 0, chars.length, spans, function () { return el("mark", "src-mark"); });
    box.appendChild(text);
    return box;
  }
  // the omission findings shown, by the offset where the missing sentence belongs
  function omissionsByOffset(f, shownIds) {
    const out = new Map();
    f.findings.forEach(function (x) {
      if (x.rule !== OMISSION || x.start !== x.end || !x.aligned_source || !shownIds.has(x.id)) return;
      if (!out.has(x.start)) out.set(x.start, []);
      out.get(x.start).push(x);
    });
    return out;
  }
  // the missing source sentence in place: a marker that selects its finding, with the
  // accepted translation (an insertion) after it; in a side-by-side row, a short marker
  function addOmissions(block, f, list, kept, inRow) {
    (list || []).forEach(function (x) {
      const d = f.decisions[x.id];
      const mark = el("mark", "f omission sev-" + x.severity + (x.id === current ? " current" : "") +
        (kept.has(x.id) ? " accepted" : d && d.status === "rejected" ? " rejected" : ""));
      mark.dataset.ids = x.id;
      mark.title = "#" + x.n + " " + x.severity + " · " + x.category + ": " + x.message;
      mark.appendChild(el("span", "omission-tag", inRow ? "not translated" : "missing · " + (f.source.lang || "source")));
      if (!inRow) {
        const said = el("span", "omission-text", x.aligned_source.text);
        if (f.source.lang) said.lang = f.source.lang;
        mark.appendChild(said);
      }
      block.appendChild(mark);
      if (kept.has(x.id)) block.appendChild(el("ins", "acc", d.replacement));
      block.appendChild(el("sup", "ref", String(x.n)));
    });
  }
  // the rendered blocks (one per row) into a table: source | translation
  function arrangeRows(article, f, rows, shown) {
    const blocks = Array.from(article.children); // moved into the table's cells
    const chars = sourceChars(f);
    const spans = [];
    shown.forEach(function (x) {
      const a = x.aligned_source;
      (a && a.marks || []).forEach(function (m) { spans.push([m[0], m[1], x.id]); });
    });
    const byId = f.byId;
    const table = el("table", "aligned");
    const head = el("thead");
    const top = el("tr");
    const th1 = el("th", null, "Source · " + languageLabel(f));
    const th2 = el("th", null, "Translation");
    th1.scope = "col";
    th2.scope = "col";
    top.appendChild(th1);
    top.appendChild(th2);
    head.appendChild(top);
    table.appendChild(head);
    const body = el("tbody");
    rows.forEach(function (r, i) {
      const omitted = r[0] === r[1], added = r[2] === r[3];
      const tr = el("tr", "row" + (r[5] ? " para" : "") + (r[4] ? " heading" : "") + (omitted ? " omitted" : "") +
        (added ? " added" : ""));
      tr.dataset.target = r[0] + "-" + r[1];
      tr.dataset.source = r[2] + "-" + r[3];
      const src = el("td", "src");
      if (f.source.lang) src.lang = f.source.lang;
      if (added) src.appendChild(el("span", "empty-note", "not in the source"));
      else {
        markedInto(src, chars, r[2], r[3], spans, function (ids) {
          const severest = ids.map(function (id) { return byId.get(id); }).reduce(function (m, x) {
            return RANK[x.severity] > RANK[m.severity] ? x : m;
          });
          const mark = el("mark", "f src-mark sev-" + severest.severity + (ids.indexOf(current) >= 0 ? " current" : ""));
          mark.dataset.ids = ids.join(" ");
          mark.title = ids.map(function (id) { const x = byId.get(id); return "#" + x.n + " " + x.severity + ": " + x.message; }).join("\n");
          return mark;
        });
      }
      const tgt = el("td", "tgt");
      const block = blocks[i];
      if (omitted && !block.childNodes.length) block.appendChild(el("span", "empty-note", "not translated"));
      tgt.appendChild(block);
      tr.appendChild(src);
      tr.appendChild(tgt);
      body.appendChild(tr);
    });
    table.appendChild(body);
    article.appendChild(table);
  }
  function showSideBySide(on) {
    sideBySide = on;
    $("sbs-toggle").setAttribute("aria-pressed", String(on));
    document.querySelector(".layout").classList.toggle("side-by-side", on);
  }
  function toggleSideBySide() {
    showSideBySide(!sideBySide);
    if (view !== "article") setView("article");
    refresh();
    say(sideBySide ? "Side by side with the source: one row per aligned sentence." : "The article as prose.");
  }
  // </source>
  // The marked article: each paragraph with its findings' marks (numbers at the end of each
  // run of overlapping marks), accepted edits and the editor's own as struck text with the
  // insertion after it, a ✎ button to edit the paragraph, and info findings over whole
  // sentences as numbered markers in the margin (not marks: clicking a word never picks them).
  function renderArticle(f, shown) {
    const article = $("article");
    article.textContent = "";
    const keptEdits = selectEdits(acceptedEdits(f));
    const kept = new Set(keptEdits.map(function (e) { return e.id; }));
    const userKept = keptEdits.filter(function (e) { return e.user; });
    const shownIds = new Set(shown.map(function (x) { return x.id; }));
    const currentX = current ? f.byId.get(current) : null;
    const byStart = f.findings; // sorted by (start, end, rule)
    let next = 0;
    const frag = document.createDocumentFragment();
    // <source>
    const gaps = f.source ? omissionsByOffset(f, shownIds) : new Map();
    const rows = f.source && sideBySide ? f.source.rows : null;
    // side by side, the rows are the blocks: [target start, target end, heading, source start]
    if (rows) f = Object.assign({}, f, { paragraphs: rows.map(function (r) { return [r[0], r[1], r[4], r[2]]; }) });
    // </source>
    const editable = !sideBySide;
    f.paragraphs.forEach(function (p, index) {
      const start = p[0], end = p[1];
      const block = el(p[2] ? "h2" : "p");
      const key = f.labels && f.labels[start];
      if (key) { block.classList.add("front-matter"); block.dataset.label = key; } // drawn by CSS, as the text's own
      if (editable && editing === index) { frag.appendChild(paragraphEditor(f, p, index)); return; }
      if (editable && start < end) {
        block.classList.add("editable");
        const pencil = el("button", "para-edit");
        pencil.type = "button";
        pencil.dataset.para = String(index); // clicks: one listener on the article
        pencil.setAttribute("aria-label", "Edit the text of paragraph " + (index + 1));
        block.appendChild(pencil);
      }
      // findings touching this paragraph
      while (next < byStart.length && byStart[next].end <= start && byStart[next].start < start) next++;
      const inside = [], margin = [];
      for (let i = next; i < byStart.length && byStart[i].start < end; i++) {
        const x = byStart[i];
        if (x.end > start || (x.start === x.end && x.start >= start)) (isMargin(x) ? margin : inside).push(x);
      }
      margin.forEach(function (x) {
        const d = f.decisions[x.id];
        const m = el("button", "margin-marker sev-" + x.severity + (x.id === current ? " current" : "") +
          (shownIds.has(x.id) ? "" : " hidden-by-filter") + (d ? " " + d.status : ""));
        m.type = "button";
        m.setAttribute("aria-label", "Finding " + x.n + " on this passage: " + x.message);
        m.dataset.ids = x.id;
        m.dataset.n = String(x.n); // drawn by CSS: the paragraph's text stays the article's
        m.title = "#" + x.n + " " + x.severity + " · " + x.category + ": " + x.message;
        block.appendChild(m);
      });
      const users = userKept.filter(function (e) { return e.start >= start && e.end <= end; });
      const cuts = new Set([start, end]);
      inside.forEach(function (x) { cuts.add(Math.max(start, x.start)); cuts.add(Math.min(end, x.end)); });
      users.forEach(function (e) { cuts.add(e.start); cuts.add(e.end); });
      if (currentX && isMargin(currentX)) { cuts.add(Math.max(start, Math.min(end, currentX.start))); cuts.add(Math.max(start, Math.min(end, currentX.end))); }
      const points = Array.from(cuts).sort(function (a, b) { return a - b; });
      let refs = []; // numbers of the findings that end in the current run of marks
      const flushRefs = function () {
        if (refs.length) block.appendChild(el("sup", "ref", refs.sort(function (a, b) { return a - b; }).join(",")));
        refs = [];
      };
      const insertions = function (at) {
        users.forEach(function (e) {
          if (e.start === at && e.end === at) block.appendChild(userIns(e));
        });
      };
      for (let i = 0; i + 1 < points.length; i++) {
        const a = points[i], b = points[i + 1];
        // <source>
        if (!rows) addOmissions(block, f, gaps.get(a), kept, false);
        // </source>
        insertions(a);
        const text = f.chars.slice(a, b).join("");
        const covering = inside.filter(function (x) { return x.start <= a && x.end >= b && x.start < x.end; });
        const edited = users.find(function (e) { return e.start <= a && e.end >= b && e.start < e.end; });
        const inLong = currentX && isMargin(currentX) && currentX.start <= a && currentX.end >= b;
        if (!covering.length) {
          flushRefs();
          let node = document.createTextNode(text);
          if (edited) { const del = el("del", "user-del"); del.appendChild(node); node = del; }
          if (inLong) { const span = el("span", "long-current"); span.appendChild(node); node = span; }
          block.appendChild(node);
        } else {
          const top = covering.reduce(function (m, x) { return RANK[x.severity] > RANK[m.severity] ? x : m; });
          const anyShown = covering.some(function (x) { return shownIds.has(x.id); });
          const mark = el("mark", "f sev-" + top.severity + (covering.length > 1 ? " multi" : "") +
            (anyShown ? "" : " hidden-by-filter") + (inLong ? " long-current" : ""), text);
          mark.dataset.ids = covering.map(function (x) { return x.id; }).join(" ");
          if (edited || covering.some(function (x) { return kept.has(x.id); })) mark.classList.add("accepted");
          else if (covering.every(function (x) { const d = f.decisions[x.id]; return d && d.status === "rejected"; })) mark.classList.add("rejected");
          if (covering.some(function (x) { return x.id === current; })) mark.classList.add("current");
          mark.title = covering.map(function (x) { return "#" + x.n + " " + x.severity + " · " + x.category + ": " + x.message; }).join("\n");
          block.appendChild(mark);
          covering.forEach(function (x) {
            if (x.end !== b) return;
            if (kept.has(x.id)) block.appendChild(el("ins", "acc", f.decisions[x.id].replacement));
            refs.push(x.n);
          });
        }
        if (edited && edited.end === b) block.appendChild(userIns(edited));
      }
      flushRefs();
      insertions(end);
      // <source>
      if (!rows) addOmissions(block, f, gaps.get(end), kept, false);
      else if (start === end) {
        addOmissions(block, f, (gaps.get(end) || []).filter(function (x) { return x.aligned_source.start === p[3]; }), kept, true);
      }
      // </source>
      frag.appendChild(block);
    });
    article.appendChild(frag);
    // <source>
    article.classList.toggle("aligned", !!rows);
    if (rows) arrangeRows(article, f, rows, shown);
    // </source>
  }
  function userIns(e) {
    const ins = el("ins", "acc user", e.replacement);
    ins.title = "Your edit";
    return ins;
  }

  // ---- editing a paragraph in place: the editor types the paragraph's corrected text; the
  // change becomes one edit on the original text (the smallest span that holds it), which
  // takes in any accepted edit it touches (that finding reads "accepted, in your edit").
  function paragraphEdits(f, p) {
    return selectEdits(acceptedEdits(f)).filter(function (e) { return e.start >= p[0] && e.end <= p[1]; });
  }
  // the paragraph's corrected text as segments: [corrected start, end, original start, end, edit or null]
  function segments(f, p) {
    const segs = [];
    let pos = p[0], c = 0;
    paragraphEdits(f, p).forEach(function (e) {
      if (e.start > pos) { segs.push([c, c + e.start - pos, pos, e.start, null]); c += e.start - pos; }
      const r = Array.from(e.replacement).length;
      segs.push([c, c + r, e.start, e.end, e]);
      c += r;
      pos = e.end;
    });
    if (pos < p[1] || !segs.length) segs.push([c, c + p[1] - pos, pos, p[1], null]);
    return segs;
  }
  function paragraphText(f, p) {
    return segments(f, p).map(function (s) { return s[4] ? s[4].replacement : f.chars.slice(s[2], s[3]).join(""); }).join("");
  }
  // the edit that turns paragraph p's corrected text into ``typed``: {edit, absorbed ids}, or
  // null when nothing changed; an error string when the change reaches an edit that crosses
  // the paragraph's end
  function editFor(f, p, typed) {
    const segs = segments(f, p);
    const before = Array.from(paragraphText(f, p)), after = Array.from(typed);
    let pre = 0;
    while (pre < before.length && pre < after.length && before[pre] === after[pre]) pre++;
    let suf = 0;
    while (suf < before.length - pre && suf < after.length - pre && before[before.length - 1 - suf] === after[after.length - 1 - suf]) suf++;
    if (pre === before.length && pre === after.length) return null;
    let cs = pre, ce = before.length - suf, ns = pre, ne = after.length - suf;
    const absorbed = new Set();
    const at = function (c) { // a corrected offset (at a segment boundary or inside plain text) -> original
      for (const s of segs) {
        if (s[0] <= c && c <= s[1]) return s[4] ? (c === s[0] ? s[2] : s[3]) : s[2] + c - s[0];
      }
      return p[1];
    };
    for (let grew = true; grew;) {
      grew = false;
      const span = { start: at(cs), end: at(ce) };
      segs.forEach(function (s) {
        if (!s[4] || absorbed.has(s[4].id)) return;
        if ((s[0] < ce && cs < s[1]) || conflicts(s[4], span)) {
          absorbed.add(s[4].id);
          if (s[0] < cs) { ns -= cs - s[0]; cs = s[0]; }
          if (s[1] > ce) { ne += s[1] - ce; ce = s[1]; }
          grew = true;
        }
      });
    }
    const span = { start: at(cs), end: at(ce) };
    const outside = selectEdits(acceptedEdits(f)).find(function (e) {
      return !absorbed.has(e.id) && (e.start < p[0] || e.end > p[1]) && conflicts(e, span);
    });
    if (outside) return "this change touches " + label(f, outside.id) + ", whose edit crosses the paragraph: reopen it first";
    const replacement = after.slice(ns, ne).join("");
    const edit = replacement === f.chars.slice(span.start, span.end).join("") ? null
      : { start: span.start, end: span.end, replacement: replacement };
    return { edit: edit, absorbed: absorbed };
  }
  function nextEditId(f) {
    const n = f.edits.reduce(function (m, e) { const k = Number(e.id.replace(/^edit-/, "")); return k > m ? k : m; }, 0);
    return "edit-" + (n + 1);
  }
  function saveParagraph(index, typed) {
    const f = file(), p = f.paragraphs[index];
    const result = editFor(f, p, typed);
    if (typeof result === "string") { say("Not saved: " + result + "."); return; }
    editing = null;
    if (result === null) { refresh(); say("No change."); return; }
    commit(f, function () {
      const id = nextEditId(f);
      f.edits = f.edits.filter(function (e) { return !result.absorbed.has(e.id); });
      result.absorbed.forEach(function (k) {
        if (!f.byId.has(k)) return;
        if (result.edit) f.decisions[k] = { status: "accepted", replacement: null, merged: id };
        else delete f.decisions[k]; // typed back to the original: that edit is undone
      });
      if (result.edit) f.edits.push(Object.assign({ id: id }, result.edit));
      return true;
    }, result.edit ? "Your edit is saved." : "The paragraph is back to its original text.");
  }
  function startEditing(index) {
    editing = index;
    refresh();
    const area = document.querySelector(".para-editor textarea");
    if (area) { area.focus(); area.scrollIntoView({ block: "center" }); }
  }
  function paragraphEditor(f, p, index) {
    const wrap = el("div", "para-editor");
    const area = el("textarea", "para-text");
    area.value = paragraphText(f, p);
    area.rows = Math.max(2, Math.ceil(area.value.length / 70) + 1);
    area.setAttribute("aria-label", "Text of paragraph " + (index + 1) + " (Ctrl+Enter saves, Escape cancels)");
    area.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); saveParagraph(index, area.value); }
      else if (ev.key === "Escape") { ev.preventDefault(); editing = null; refresh(); say("Edit cancelled."); }
      ev.stopPropagation();
    });
    wrap.appendChild(area);
    const row = el("div", "buttons");
    row.appendChild(button("save", "Save", function () { saveParagraph(index, area.value); }));
    row.appendChild(button("cancel", "Cancel", function () { editing = null; refresh(); say("Edit cancelled."); }));
    wrap.appendChild(row);
    return wrap;
  }
  function paragraphOf(f, x) {
    const i = f.paragraphs.findIndex(function (p) { return p[0] <= x.start && x.start <= p[1]; });
    return i;
  }

  // Cards are added a batch at a time as the list scrolls into view, so a report with
  // thousands of findings opens at once; navigation renders up to the card it needs.
  const BATCH = 150;
  let pending = [];
  let observer = null;
  function renderCards(f, shown) {
    const list = $("findings");
    list.textContent = "";
    pending = shown.slice();
    const sentinel = el("li", "more");
    sentinel.id = "more";
    list.appendChild(sentinel);
    addCards(BATCH);
    $("visible-count").textContent = "(" + shown.length + " of " + f.findings.length + " shown)";
    if (!shown.length) {
      list.insertBefore(el("li", "empty", f.findings.length ? "No finding matches these filters: widen them to see more."
        : "No findings in this file."), sentinel);
    }
    if (!observer && "IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) addCards(BATCH);
      }, { rootMargin: "600px" });
    }
    if (observer) { observer.disconnect(); observer.observe(sentinel); }
  }
  function addCards(count) {
    if (!pending.length) return;
    const f = file();
    const frag = document.createDocumentFragment();
    const context = cardContext(f);
    pending.splice(0, count).forEach(function (x) { frag.appendChild(card(f, x, context)); });
    const sentinel = $("more");
    sentinel.parentNode.insertBefore(frag, sentinel);
    sentinel.textContent = pending.length ? pending.length + " more findings below…" : "";
  }
  function cardFor(id) {
    let c = document.querySelector('.card[data-id="' + cssId(id) + '"]');
    while (!c && pending.length) {
      addCards(BATCH);
      c = document.querySelector('.card[data-id="' + cssId(id) + '"]');
    }
    return c;
  }
  function shorten(text, n) {
    const chars = Array.from(text);
    return chars.length > n ? chars.slice(0, n - 10).join("") + " …" : text;
  }
  function diffLine(x, replacement) {
    const diff = el("p", "diff");
    const shownText = shorten(x.text, 160);
    if (replacement !== null && replacement !== undefined) {
      diff.appendChild(el("del", null, shownText));
      diff.appendChild(document.createTextNode(" → "));
      diff.appendChild(el("ins", null, replacement === "" ? "(delete)" : replacement));
    } else {
      diff.appendChild(el("span", "quote", "“" + shownText + "”"));
    }
    return diff;
  }

  // A card: the message, the edit as one diff line, the actions; rule, position, why and the
  // other suggestions under "More". A decided card folds to one line until it is selected.
  function card(f, x, context) {
    const d = f.decisions[x.id];
    const blocker = d && d.status === "accepted" ? context.blockers.get(x.id) : null;
    const open = !d || x.id === current || !!blocker; // an edit that is not applied stays in view
    const li = el("li", "card sev-" + x.severity + (d ? " " + d.status : "") + (x.id === current ? " current" : "") +
      (open ? "" : " folded") + (isMargin(x) ? " passage" : ""));
    li.dataset.id = x.id;
    li.tabIndex = 0;
    li.setAttribute("aria-label", "Finding " + x.n + ", " + x.severity + (d ? ", " + d.status : "") + ", " + x.message);
    const head = el("p", "msg");
    head.appendChild(el("span", "num", "#" + x.n));
    head.appendChild(el("span", "sev-chip " + x.severity, x.severity));
    head.appendChild(document.createTextNode(" " + x.message));
    li.appendChild(head);
    const replacement = d && d.status === "accepted" ? (d.merged ? null : d.replacement) : (x.suggestions.length ? x.suggestions[0] : null);
    if (!open) {
      const line = el("div", "folded-line");
      line.appendChild(diffLine(x, replacement));
      line.appendChild(el("span", "state " + d.status, d.merged ? "accepted, in your edit" : d.status));
      line.appendChild(button("reopen", "Reopen", function () { reopen(x.id); }, "Reopen finding " + x.n));
      li.appendChild(line);
      li.addEventListener("focus", function () { if (current !== x.id) select(x.id, false); });
      li.addEventListener("click", function (ev) { if (!ev.target.closest("button")) select(x.id, true); });
      return li;
    }
    const diff = diffLine(x, replacement);
    li.appendChild(diff);
    // <source>
    if (x.aligned_source && f.source) li.appendChild(sourcePanel(f, x));
    if (x.start === x.end && replacement === null) diff.hidden = true; // an omission: nothing to quote
    // </source>
    const input = el("input", "edit");
    input.type = "text";
    input.value = d && typeof d.replacement === "string" ? d.replacement : (x.suggestions[0] || "");
    input.setAttribute("aria-label", "Replacement for finding " + x.n + " (Enter accepts)");
    input.hidden = true; // shown by Edit (e)
    if (!x.suggestions.length) input.placeholder = "Type a replacement, then Enter to accept it";
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); acceptWith(x.id, input.value); }
      else if (ev.key === "Escape") { input.blur(); li.focus(); }
      ev.stopPropagation();
    });
    li.appendChild(input);
    const buttons = el("div", "buttons");
    if (x.suggestions.length) buttons.appendChild(button("accept", "Accept", function () { acceptWith(x.id, input.value); }));
    buttons.appendChild(button("reject", x.suggestions.length ? "Reject" : "Dismiss", function () { reject(x.id); }));
    if (!isMargin(x)) {
      buttons.appendChild(button("edit-suggestion", "Edit", function () { input.hidden = false; input.focus(); input.select(); },
        "Edit the replacement for finding " + x.n));
    }
    if (!sideBySide && paragraphOf(f, x) >= 0) {
      buttons.appendChild(button("edit-text", "Edit text", function () { startEditing(paragraphOf(f, x)); },
        "Edit text of the paragraph of finding " + x.n));
    }
    const more = context.openByRule.get(x.rule) || 0;
    if (more > 1 && !d) {
      buttons.appendChild(button("accept-rule", "Accept all " + more, function () { acceptRule(x.rule); },
        "Accept all " + more + " open findings of " + x.rule));
    }
    if (d) {
      buttons.appendChild(button("reopen", "Reopen", function () { reopen(x.id); }));
      if (blocker) {
        buttons.appendChild(el("span", "state not-applied", "not applied: overlaps " + label(f, blocker)));
        buttons.appendChild(button("apply-instead", "Apply this one instead", function () { applyInstead(x.id); }));
      } else {
        buttons.appendChild(el("span", "state " + d.status, d.merged ? "accepted, in your edit" : d.status));
      }
    }
    li.appendChild(buttons);
    const det = el("details", "more-info");
    det.appendChild(el("summary", null, "More"));
    const facts = el("p", "facts");
    facts.appendChild(el("span", "rule", x.rule));
    facts.appendChild(document.createTextNode(" · " + x.category + " · line " + x.line + ", col " + x.column +
      (x.source !== "rules" ? " · " + x.source : "") + " · fix: " + x.fix));
    det.appendChild(facts);
    if (x.suggestions.length > 1) det.appendChild(el("p", null, "Other suggestions: " + x.suggestions.slice(1).join(" · ")));
    if (x.why) det.appendChild(el("p", "why", x.why));
    if (x.instead) det.appendChild(el("p", null, "Instead: " + x.instead));
    li.appendChild(det);
    if (x.why) { // on paper, in place of "More": a rule's why once, at its first open finding
      const first = context.firstByRule.get(x.rule) || x;
      li.appendChild(el(first === x ? "p" : "span", first === x ? "print-why" : "print-why see", first === x ? x.why : "why: see #" + first.n));
    }
    li.addEventListener("focus", function () { if (current !== x.id) select(x.id, false); });
    li.addEventListener("click", function (ev) { if (ev.target === li || ev.target.closest(".msg")) select(x.id, true); });
    return li;
  }
  // What the cards of one drawing need, computed once for them all: the accepted edits that
  // are not applied (and what overlaps each), each rule's open findings with a suggestion, and
  // each rule's first open finding (where paper prints the rule's why)
  function cardContext(f) {
    const openByRule = new Map(), firstByRule = new Map();
    f.findings.forEach(function (y) {
      const undecided = !f.decisions[y.id];
      if (undecided && y.suggestions.length) openByRule.set(y.rule, (openByRule.get(y.rule) || 0) + 1);
      if ((undecided || y.id === current) && !firstByRule.has(y.rule)) firstByRule.set(y.rule, y);
    });
    return { blockers: notApplied(f), openByRule: openByRule, firstByRule: firstByRule };
  }
  function acceptWith(id, value) {
    const f = file(), x = f.byId.get(id);
    if (x.suggestions.length === 0 && value === "") { say("No suggestion to accept: type one in the edit box first."); return; }
    decide([{ id: id, decision: { status: "accepted", replacement: value } }], "Accepted #" + x.n + ".");
  }

  // ---- the changes view: every accepted edit and every edit of the editor's own, in text
  // order, each with what it changes and a way to take it back (also the decisions on paper)
  function changeRows(f) {
    const blockers = notApplied(f);
    return acceptedEdits(f).slice().sort(function (a, b) { return a.start - b.start || a.end - b.end; }).map(function (e) {
      return { edit: e, x: f.byId.get(e.id) || null, blocker: blockers.get(e.id) || null };
    });
  }
  function renderChanges(f) {
    const box = $("changes");
    box.textContent = "";
    const rows = changeRows(f);
    if (!rows.length) { box.appendChild(el("p", "empty", "No changes yet: accept a suggestion or edit a paragraph (✎).")); return; }
    const list = el("ol", "change-list");
    rows.forEach(function (r) {
      const li = el("li", "change" + (r.edit.user ? " user" : ""));
      li.appendChild(el("span", "who", r.x ? "#" + r.x.n : "Your edit"));
      const p = el("span", "diff");
      const old = f.chars.slice(r.edit.start, r.edit.end).join("");
      if (old) p.appendChild(el("del", null, shorten(old, 200)));
      if (old && r.edit.replacement) p.appendChild(document.createTextNode(" → "));
      if (r.edit.replacement) p.appendChild(el("ins", null, shorten(r.edit.replacement, 200)));
      li.appendChild(p);
      if (r.blocker) li.appendChild(el("span", "state not-applied", "not applied: overlaps " + label(f, r.blocker)));
      li.appendChild(r.x ? button("reopen", "Reopen", function () { reopen(r.x.id); }, "Reopen finding " + r.x.n)
        : button("remove-edit", "Remove", function () { removeEdit(r.edit.id); }, "Remove your edit"));
      list.appendChild(li);
    });
    box.appendChild(list);
  }
  // on paper: the decisions after the open findings (built before printing)
  let printStale = true;
  function beforePrint() {
    addCards(Infinity); // paper gets every card
    if (printStale && files.length) renderPrintDecisions(file());
    printStale = false;
  }
  function renderPrintDecisions(f) {
    const box = $("print-decisions");
    box.textContent = "";
    const decided = f.findings.filter(function (x) { return f.decisions[x.id]; });
    const own = f.edits;
    if (!decided.length && !own.length) return;
    box.appendChild(el("h2", "findings-title", "Decisions"));
    const list = el("ul", "decision-list");
    decided.forEach(function (x) {
      const d = f.decisions[x.id];
      const li = el("li");
      li.appendChild(el("strong", null, "#" + x.n + " " + (d.merged ? "accepted, in your edit" : d.status) + ": "));
      li.appendChild(diffLine(x, d.status === "accepted" && !d.merged ? d.replacement : null));
      list.appendChild(li);
    });
    own.forEach(function (e) {
      const li = el("li");
      li.appendChild(el("strong", null, "Your edit: "));
      const old = f.chars.slice(e.start, e.end).join("");
      if (old) li.appendChild(el("del", null, shorten(old, 200)));
      li.appendChild(document.createTextNode(" → "));
      li.appendChild(el("ins", null, e.replacement || "(delete)"));
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function refresh() {
    const f = file();
    const shown = visible(f);
    renderHeader(f);
    renderFilters(f, shown);
    renderArticle(f, shown);
    renderCards(f, shown);
    const changes = acceptedEdits(f).length;
    $("changes-count").textContent = changes ? "(" + changes + ")" : "";
    if (view === "changes") renderChanges(f); // the changes view and the paper's decisions are built when shown
    printStale = true;
    $("preview").textContent = correctedText(f);
    $("undo").disabled = f.undo.length === 0;
    if (current) {
      const c = cardFor(current);
      if (c && document.activeElement && document.activeElement.closest && document.activeElement.closest(".card")) c.focus({ preventScroll: true });
      sheetPosition(shown);
    }
  }

  function select(id, scroll) {
    const f = file();
    const before = current ? f.byId.get(current) : null;
    const x = f.byId.get(id);
    current = id;
    // a passage note is drawn by its paragraph's rendering; a decided card unfolds when selected
    // (and folds again when left): those cards are drawn again, not the whole page
    if ((before && isMargin(before)) || (x && isMargin(x))) renderArticle(f, visible(f));
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest(".card");
    let context = null; // only when a card is drawn again
    [before, x].forEach(function (y) {
      if (!y || !f.decisions[y.id]) return;
      const old = document.querySelector('.card[data-id="' + cssId(y.id) + '"]');
      if (old) old.replaceWith(card(f, y, context || (context = cardContext(f))));
    });
    if (focused && !focused.isConnected && !scroll) { const c0 = cardFor(id); if (c0) c0.focus({ preventScroll: true }); }
    document.querySelectorAll(".card.current, mark.current, .margin-marker.current").forEach(function (e) { e.classList.remove("current"); });
    const c = cardFor(id);
    if (c) {
      c.classList.add("current");
      if (scroll) { c.focus({ preventScroll: true }); c.scrollIntoView({ block: phone.matches ? "nearest" : "center" }); }
    }
    const marks = Array.from(document.querySelectorAll("mark.f, .margin-marker")).filter(function (m) { return m.dataset.ids.split(" ").indexOf(id) >= 0; });
    marks.forEach(function (m) { m.classList.add("current"); });
    if (phone.matches) openSheet("card");
    if (scroll && marks.length) {
      if (phone.matches) { // above the sheet, which covers the lower half
        const top = marks[0].getBoundingClientRect().top + window.scrollY;
        window.scrollTo({ top: Math.max(0, top - window.innerHeight * 0.22) });
      } else marks[0].scrollIntoView({ block: "center" });
    }
    sheetPosition(visible(f));
  }
  // After a decision by keyboard: the next finding still open (after this one, else the
  // first before it), so a review is a run of a/r presses.
  function nextOpen(from) {
    const f = file(), shown = visible(f);
    const i = shown.findIndex(function (x) { return x.id === from; });
    const open = function (x) { return !f.decisions[x.id]; };
    const next = shown.slice(i + 1).find(open) || shown.slice(0, Math.max(0, i)).find(open);
    if (next) select(next.id, true);
  }
  function step(delta) {
    const shown = visible(file());
    if (!shown.length) return;
    let i = shown.findIndex(function (x) { return x.id === current; });
    i = i < 0 ? (delta > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, i + delta));
    select(shown[i].id, true);
  }

  // ---- phones: the findings pane is a bottom sheet, with the selected card ("card") or the
  // whole list ("list"); the filters are a sheet of their own with the result count
  function openSheet(mode) {
    document.body.classList.add("sheet-open");
    document.body.classList.toggle("sheet-list", mode === "list");
    $("list-toggle").setAttribute("aria-expanded", String(mode === "list"));
  }
  function closeSheet() {
    document.body.classList.remove("sheet-open", "sheet-list");
    $("list-toggle").setAttribute("aria-expanded", "false");
  }
  function sheetPosition(shown) {
    const i = shown.findIndex(function (x) { return x.id === current; });
    $("sheet-position").textContent = i < 0 ? shown.length + " findings" : "Finding " + (i + 1) + " of " + shown.length;
  }
  function togglePanel(id, toggle, on) {
    const panel = $(id);
    const show = on === undefined ? panel.hidden : on;
    ["filter-panel", "export-menu", "help"].forEach(function (other) {
      if (other !== id && !$(other).hidden) {
        $(other).hidden = true;
        document.querySelector('[aria-controls="' + other + '"]').setAttribute("aria-expanded", "false");
      }
    });
    panel.hidden = !show;
    $(toggle).setAttribute("aria-expanded", String(show));
    if (show) { const first = panel.querySelector("input, select, button"); if (first) first.focus(); }
  }
  // ---- taking the text away ----
  function say(message) { $("status").textContent = message; }
  function download(name, text, type) {
    const blob = new Blob([text], { type: type });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function correctedName(name) {
    const dot = name.lastIndexOf(".");
    return dot > 0 ? name.slice(0, dot) + ".corrected" + name.slice(dot) : name + ".corrected.txt";
  }
  function copyText(text) {
    function fallback() {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      say(ok ? "Corrected text copied." : "Copy failed: use Download instead.");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { say("Corrected text copied."); }, fallback);
    } else fallback();
  }
  // What `mtreview fix --decisions FILE` reads: the decisions on findings (ids carry their
  // spans) and the editor's own edits, for this exact text (its hash)
  function decisionsFile(f) {
    return { schema: SCHEMA, path: f.path, hash: f.hash, decisions: f.decisions, edits: f.edits };
  }
  // Word: the article with every applied edit as a tracked change by "mtreview" and each open
  // finding as a comment (docx.js; the same file `mtreview fix --docx` writes)
  function downloadDocx() {
    const f = file();
    const open = f.findings.filter(function (x) { return !f.decisions[x.id] && x.start <= x.end; });
    const bytes = window.mtreviewDocx.build({
      text: f.text, paragraphs: f.paragraphs, title: f.name, author: "mtreview",
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      edits: acceptedEdits(f).map(function (e) { return { start: e.start, end: e.end, replacement: e.replacement }; }),
      comments: open.map(function (x) { return { start: x.start, end: x.end, text: window.mtreviewDocx.commentText(x) }; }),
    }, DATA.docx_parts);
    const dot = f.name.lastIndexOf(".");
    download((dot > 0 ? f.name.slice(0, dot) : f.name) + ".docx", bytes,
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    say("Word file downloaded: " + plural(selectEdits(acceptedEdits(f)).length, "tracked change") + ", " + plural(open.length, "comment") + ".");
  }
  function exportDecisions() {
    const f = file();
    download(f.name + ".decisions.json", JSON.stringify(decisionsFile(f), null, 2) + "\n", "application/json");
    say("Decisions exported.");
  }
  function importDecisions(ev) {
    const input = ev.target;
    const chosen = input.files && input.files[0];
    if (!chosen) return;
    const reader = new FileReader();
    reader.onload = function () {
      let data;
      try { data = JSON.parse(reader.result); } catch (e) { say("Import failed: that file is not JSON."); return; }
      const target = files.findIndex(function (f) { return data && f.hash === data.hash; });
      if (!data || (data.schema !== "mtreview-decisions/1" && data.schema !== SCHEMA) || target < 0) {
        say("Import failed: those decisions are for another text (or not mtreview decisions).");
        return;
      }
      openArticle(target);
      const f = file();
      const incoming = clean(f, data.decisions || {});
      const edits = cleanEdits(f, data.edits);
      const n = Object.keys(incoming).length;
      commit(f, function () {
        Object.keys(incoming).forEach(function (id) { f.decisions[id] = incoming[id]; });
        const ids = new Set(edits.map(function (e) { return e.id; }));
        f.edits = f.edits.filter(function (e) { return !ids.has(e.id); }).concat(edits);
        return n + edits.length > 0;
      }, "Imported " + plural(n, "decision") + (edits.length ? " and " + plural(edits.length, "edit") : "") + ".");
    };
    reader.readAsText(chosen);
    input.value = "";
  }


  // ---- wiring ----
  function switchTo(i) {
    if (i !== fileIndex) { current = null; editing = null; }
    fileIndex = i;
    $("file-switch").value = String(i);
    refresh();
  }
  // several articles: #overview (the default) or #article-N
  function route() {
    const m = /^#article-(\d+)$/.exec(window.location.hash);
    const i = m ? Number(m[1]) : -1;
    if (files.length > 1 && !(i >= 0 && i < files.length)) { showOverview(true); return; }
    showOverview(false);
    switchTo(Math.max(0, i));
  }
  function openArticle(i) {
    if (files.length > 1 && window.location.hash !== "#article-" + i) window.location.hash = "#article-" + i;
    else { showOverview(false); switchTo(i); }
  }
  function setView(which) {
    view = which;
    $("article").hidden = which !== "article";
    $("preview").hidden = which !== "preview";
    $("changes").hidden = which !== "changes";
    $("tab-article").setAttribute("aria-selected", String(which === "article"));
    $("tab-preview").setAttribute("aria-selected", String(which === "preview"));
    $("tab-changes").setAttribute("aria-selected", String(which === "changes"));
  }
  function toggleHelp() { togglePanel("help", "help-toggle"); }

  if (files.length > 1) {
    $("file-switch-wrap").hidden = false;
    const all = document.createElement("option");
    all.value = "overview";
    all.textContent = "All articles (" + files.length + ")";
    $("file-switch").appendChild(all);
    files.forEach(function (f, i) {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = f.path + " (" + f.findings.length + ")";
      $("file-switch").appendChild(o);
    });
    $("file-switch").addEventListener("change", function (ev) {
      if (ev.target.value === "overview") window.location.hash = "#overview"; else openArticle(Number(ev.target.value));
    });
    $("to-overview").addEventListener("click", function () { window.location.hash = "#overview"; });
    window.addEventListener("hashchange", route);
  }
  ["f-error", "f-warning", "f-info", "f-category", "f-rule", "f-source", "f-status", "sort"].forEach(function (id) {
    $(id).addEventListener("change", refresh);
  });
  $("accept-safe").addEventListener("click", acceptAllSafe);
  $("undo").addEventListener("click", undo);
  $("filter-toggle").addEventListener("click", function () { togglePanel("filter-panel", "filter-toggle"); });
  $("filter-close").addEventListener("click", function () { togglePanel("filter-panel", "filter-toggle", false); $("filter-toggle").focus(); });
  $("filter-reset").addEventListener("click", resetFilters);
  $("export-toggle").addEventListener("click", function () { togglePanel("export-menu", "export-toggle"); });
  $("list-toggle").addEventListener("click", function () {
    if (document.body.classList.contains("sheet-list")) closeSheet(); else openSheet("list");
  });
  $("sheet-close").addEventListener("click", closeSheet);
  $("sheet-prev").addEventListener("click", function () { step(-1); });
  $("sheet-next").addEventListener("click", function () { step(1); });
  $("download").addEventListener("click", function () {
    download(correctedName(file().name), correctedText(file()), "text/plain;charset=utf-8");
    say("Corrected text downloaded.");
  });
  $("download-docx").addEventListener("click", downloadDocx);
  $("copy").addEventListener("click", function () { copyText(correctedText(file())); });
  $("export").addEventListener("click", exportDecisions);
  $("import").addEventListener("change", importDecisions);
  $("help-toggle").addEventListener("click", toggleHelp);
  $("tab-article").addEventListener("click", function () { setView("article"); });
  $("tab-preview").addEventListener("click", function () { setView("preview"); });
  $("tab-changes").addEventListener("click", function () { setView("changes"); renderChanges(file()); });
  // <source>
  $("sbs-toggle").addEventListener("click", toggleSideBySide);
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.key !== "s" || !file() || !file().source) return;
    const tag = ev.target && ev.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    toggleSideBySide();
    ev.preventDefault();
  });
  // </source>
  $("article").addEventListener("click", function (ev) {
    const control = ev.target.closest && ev.target.closest(".para-edit, .margin-marker");
    if (control) {
      if (control.classList.contains("para-edit")) startEditing(Number(control.dataset.para));
      else select(control.dataset.ids, true);
      return;
    }
    const mark = ev.target.closest && ev.target.closest("mark.f");
    if (!mark || mark.classList.contains("hidden-by-filter")) return;
    const ids = mark.dataset.ids.split(" ");
    const i = ids.indexOf(current);
    select(ids[(i + 1) % ids.length], true); // a click on overlapping marks cycles through them
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !document.body.dataset.ready || !$("overview").hidden) return;
    const tag = ev.target && ev.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const key = ev.key;
    if (key === "j" || key === "ArrowDown") { step(1); ev.preventDefault(); }
    else if (key === "k" || key === "ArrowUp") { step(-1); ev.preventDefault(); }
    else if ((key === "a" || key === "r") && current) {
      const decided = current;
      if (key === "a") accept(decided); else reject(decided);
      if (file().decisions[decided]) nextOpen(decided);
    }
    else if (key === "u") undo();
    else if (key === "p") setView(view === "preview" ? "article" : "preview");
    else if (key === "?") toggleHelp();
    else if (key === "t" && current) {
      const i = paragraphOf(file(), file().byId.get(current));
      if (i >= 0 && !sideBySide) { startEditing(i); ev.preventDefault(); }
    }
    else if (key === "e" && current) {
      const input = document.querySelector('.card[data-id="' + cssId(current) + '"] .edit');
      if (input) { input.hidden = false; input.focus(); input.select(); ev.preventDefault(); }
    } else if (key === "Escape") {
      if (!$("help").hidden) toggleHelp();
      else if (!$("filter-panel").hidden) togglePanel("filter-panel", "filter-toggle", false);
      else if (!$("export-menu").hidden) togglePanel("export-menu", "export-toggle", false);
      else closeSheet();
    }
  });

  window.addEventListener("beforeprint", beforePrint);
  if (window.matchMedia) {
    const print = window.matchMedia("print");
    if (print.addEventListener) print.addEventListener("change", function (ev) { if (ev.matches) beforePrint(); });
  }
  if (files.length) route();
  document.body.dataset.ready = "true";
})();
