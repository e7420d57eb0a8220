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
  const LONG = 80; // code points
  const files = DATA.files.map(function (f) {
    const byId = new Map();
    f.findings.forEach(function (x) { byId.set(x.id, x); });
    return Object.assign({}, f, { chars: Array.from(f.text), byId: byId, decisions: load(f), undo: [] });
  });
  let fileIndex = 0;
  let current = null; // id of the selected finding
  let showPreview = false;
  const $ = function (id) { return document.getElementById(id); };

  function storageKey(f) { return "mtreview:decisions:" + f.hash; }
  function load(f) {
    try {
      const raw = window.localStorage.getItem(storageKey(f));
      const parsed = raw ? JSON.parse(raw) : null;
      return parsed && parsed.decisions && typeof parsed.decisions === "object" ? clean(f, parsed.decisions) : {};
    } catch (e) {
      return {};
    }
  }
  function clean(f, decisions) {
    // keep only decisions about findings of this text, in the expected shape
    const ids = new Set(f.findings.map(function (x) { return x.id; }));
    const out = {};
    Object.keys(decisions).forEach(function (id) {
      const d = decisions[id];
      if (!ids.has(id) || !d || (d.status !== "accepted" && d.status !== "rejected")) return;
      out[id] = { status: d.status, replacement: typeof d.replacement === "string" ? d.replacement : null };
    });
    return out;
  }
  function save(f) {
    try {
      window.localStorage.setItem(storageKey(f), JSON.stringify({ schema: "mtreview-decisions/1", decisions: f.decisions }));
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
  function acceptedEdits(f) {
    const edits = [];
    f.findings.forEach(function (x) {
      const d = f.decisions[x.id];
      if (d && d.status === "accepted" && typeof d.replacement === "string") {
        edits.push({ start: x.start, end: x.end, replacement: d.replacement, id: x.id });
      }
    });
    return edits;
  }
  function correctedText(f) { return applyEdits(f.chars, acceptedEdits(f)); }
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
    const f = file(), x = f.byId.get(id);
    const other = notApplied(f).get(id);
    if (!other) return;
    const y = f.byId.get(other);
    decide([{ id: other, decision: null }], "#" + y.n + " reopened: #" + x.n + " is applied instead.");
  }

  // ---- decisions (each change is one undo step) ----
  function decide(changes, message) {
    const f = file();
    const step = [];
    changes.forEach(function (c) {
      step.push([c.id, f.decisions[c.id] || null]);
      if (c.decision) f.decisions[c.id] = c.decision; else delete f.decisions[c.id];
    });
    if (!step.length) { say("Nothing to change."); return; }
    f.undo.push(step);
    save(f);
    refresh();
    say(message);
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
  function acceptAllSafe() {
    const f = file();
    const changes = f.findings.filter(function (x) {
      return x.fix === "safe" && x.suggestions.length && !f.decisions[x.id];
    }).map(function (x) { return { id: x.id, decision: { status: "accepted", replacement: x.suggestions[0] } }; });
    decide(changes, "Accepted " + changes.length + " safe edit" + (changes.length === 1 ? "" : "s") + ".");
  }
  function undo() {
    const f = file();
    const step = f.undo.pop();
    if (!step) return;
    step.slice().reverse().forEach(function (pair) {
      if (pair[1]) f.decisions[pair[0]] = pair[1]; else delete f.decisions[pair[0]];
    });
    save(f);
    refresh();
    say("Undone.");
  }

  // ---- filters ----
  function visible(f) {
    const sev = { error: $("f-error").checked, warning: $("f-warning").checked, info: $("f-info").checked };
    const cat = $("f-category").value, rule = $("f-rule").value, source = $("f-source").value, status = $("f-status").value;
    const list = f.findings.filter(function (x) {
      const d = f.decisions[x.id];
      const st = d ? d.status : "open";
      return sev[x.severity] && (!cat || x.category === cat) && (!rule || x.rule === rule) &&
        (!source || x.source === source) && (!status || status === st);
    });
    const sort = $("sort").value;
    if (sort === "severity") list.sort(function (a, b) { return RANK[b.severity] - RANK[a.severity] || a.start - b.start; });
    else if (sort === "rule") list.sort(function (a, b) { return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.start - b.start; });
    return list;
  }
  function fillSelect(select, counts) {
    const keep = select.value;
    while (select.options.length > 1) select.remove(1);
    Object.keys(counts).sort().forEach(function (k) {
      const o = document.createElement("option");
      o.value = k;
      o.textContent = k + " (" + counts[k] + ")";
      select.appendChild(o);
    });
    select.value = counts[keep] ? keep : "";
  }
  function countBy(list, key) {
    const out = {};
    list.forEach(function (x) { out[x[key]] = (out[x[key]] || 0) + 1; });
    return out;
  }

  // ---- rendering ----
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
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
    s.appendChild(el("span", null, f.findings.length + " findings: " + sev.error + " error" + (sev.error === 1 ? "" : "s") +
      ", " + sev.warning + " warning" + (sev.warning === 1 ? "" : "s") + ", " + sev.info + " info"));
    const cats = Object.keys(f.by_category).map(function (k) { return k + " " + f.by_category[k]; });
    if (cats.length) s.appendChild(el("span", "muted", cats.join(" · ")));
    const decided = Object.keys(f.decisions).length;
    const accepted = acceptedEdits(f).length, dropped = notApplied(f).size;
    const counter = el("span", dropped ? "applied-count warn" : "applied-count",
      decided + " decided, " + (accepted - dropped) + " of " + accepted + " accepted edit" + (accepted === 1 ? "" : "s") + " applied" +
      (dropped ? " (" + dropped + " overlap" + (dropped === 1 ? "s" : "") + " another: see its card)" : ""));
    counter.id = "applied-count";
    s.appendChild(counter);
    renderScores(f);
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
  let sideBySide = false;
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
    if (showPreview) setPreview(false);
    refresh();
    say(sideBySide ? "Side by side with the source: one row per aligned sentence." : "The article as prose.");
  }
  // </source>
  function renderArticle(f, shown) {
    const article = $("article");
    article.textContent = "";
    const kept = new Set(selectEdits(acceptedEdits(f)).map(function (e) { return e.id; }));
    const shownIds = new Set(shown.map(function (x) { return x.id; }));
    const byStart = f.findings; // sorted by (start, end, rule)
    let next = 0;
    const frag = document.createDocumentFragment();
    // <source>
    const gaps = f.source ? omissionsByOffset(f, shownIds) : new Map();
    const rows = f.source && sideBySide ? f.source.rows : null;
    // side by side, the rows are the blocks: [target start, target end, heading, source start]
    if (rows) f = Object.assign({}, f, { paragraphs: rows.map(function (r) { return [r[0], r[1], r[4], r[2]]; }) });
    // </source>
    f.paragraphs.forEach(function (p) {
      const start = p[0], end = p[1];
      const block = el(p[2] ? "h2" : "p");
      // findings touching this paragraph
      while (next < byStart.length && byStart[next].end <= start && byStart[next].start < start) next++;
      const inside = [];
      for (let i = next; i < byStart.length && byStart[i].start < end; i++) {
        if (byStart[i].end > start || (byStart[i].start === byStart[i].end && byStart[i].start >= start)) inside.push(byStart[i]);
      }
      const cuts = new Set([start, end]);
      inside.forEach(function (x) { cuts.add(Math.max(start, x.start)); cuts.add(Math.min(end, x.end)); });
      const points = Array.from(cuts).sort(function (a, b) { return a - b; });
      for (let i = 0; i + 1 < points.length; i++) {
        const a = points[i], b = points[i + 1];
        // <source>
        if (!rows) addOmissions(block, f, gaps.get(a), kept, false);
        // </source>
        const text = f.chars.slice(a, b).join("");
        const covering = inside.filter(function (x) { return x.start <= a && x.end >= b && x.start < x.end; });
        if (!covering.length) { block.appendChild(document.createTextNode(text)); continue; }
        const top = covering.reduce(function (m, x) { return RANK[x.severity] > RANK[m.severity] ? x : m; });
        const anyShown = covering.some(function (x) { return shownIds.has(x.id); });
        // a finding over a whole sentence (an overlong one) is underlined, not filled
        const long = covering.every(function (x) { return x.end - x.start > LONG; });
        const mark = el("mark", "f sev-" + top.severity + (covering.length > 1 ? " multi" : "") + (long ? " long" : "") +
          (anyShown ? "" : " hidden-by-filter"), text);
        mark.dataset.ids = covering.map(function (x) { return x.id; }).join(" ");
        const acceptedHere = covering.find(function (x) { return kept.has(x.id); });
        if (acceptedHere) mark.classList.add("accepted");
        else if (covering.every(function (x) { const d = f.decisions[x.id]; return d && d.status === "rejected"; })) mark.classList.add("rejected");
        if (covering.some(function (x) { return x.id === current; })) mark.classList.add("current");
        mark.title = covering.map(function (x) { return "#" + x.n + " " + x.severity + " · " + x.category + ": " + x.message; }).join("\n");
        block.appendChild(mark);
        covering.forEach(function (x) {
          if (x.end === b) {
            if (kept.has(x.id)) block.appendChild(el("ins", "acc", f.decisions[x.id].replacement));
            block.appendChild(el("sup", "ref", String(x.n)));
          }
        });
      }
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
    pending.splice(0, count).forEach(function (x) { frag.appendChild(card(f, x)); });
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

  function card(f, x) {
    const d = f.decisions[x.id];
    const li = el("li", "card sev-" + x.severity + (d ? " " + d.status : "") + (x.id === current ? " current" : ""));
    li.dataset.id = x.id;
    li.tabIndex = 0;
    li.setAttribute("aria-label", "Finding " + x.n + ", " + x.severity + ", " + x.message);
    const head = el("div", "head");
    head.appendChild(el("span", "num", "#" + x.n));
    head.appendChild(el("span", "sev-chip " + x.severity, x.severity));
    head.appendChild(el("span", "cat", x.category));
    head.appendChild(el("span", "rule", x.rule));
    head.appendChild(el("span", "where", "line " + x.line + ", col " + x.column + (x.source !== "rules" ? " · " + x.source : "")));
    li.appendChild(head);
    li.appendChild(el("p", "msg", x.message));
    const replacement = d && d.status === "accepted" ? d.replacement : (x.suggestions.length ? x.suggestions[0] : null);
    const diff = el("p", "diff");
    const shownText = Array.from(x.text).length > 160 ? Array.from(x.text).slice(0, 150).join("") + " …" : x.text;
    if (replacement !== null) {
      diff.appendChild(el("del", null, shownText));
      diff.appendChild(document.createTextNode(" → "));
      diff.appendChild(el("ins", null, replacement === "" ? "(delete)" : replacement));
    } else {
      diff.appendChild(el("span", "quote", "“" + shownText + "”"));
    }
    li.appendChild(diff);
    // <source>
    if (x.aligned_source && f.source) li.appendChild(sourcePanel(f, x));
    if (x.start === x.end && replacement === null) diff.hidden = true; // an omission: nothing to quote
    // </source>
    if (x.suggestions.length > 1) li.appendChild(el("p", "safety", "Other suggestions: " + x.suggestions.slice(1).join(" · ")));
    const input = el("input", "edit");
    input.type = "text";
    input.value = d && typeof d.replacement === "string" ? d.replacement : (x.suggestions[0] || "");
    input.setAttribute("aria-label", "Suggested replacement for finding " + x.n + " (edit, then Accept)");
    if (!x.suggestions.length) input.placeholder = "No suggestion: type a replacement to accept one";
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); acceptWith(x.id, input.value); }
      ev.stopPropagation();
    });
    li.appendChild(input);
    if (x.why || x.instead) {
      const det = el("details");
      det.appendChild(el("summary", null, "Why"));
      if (x.why) det.appendChild(el("p", null, x.why));
      if (x.instead) det.appendChild(el("p", null, "Instead: " + x.instead));
      li.appendChild(det);
    }
    const buttons = el("div", "buttons");
    const acc = el("button", "accept", "Accept");
    acc.type = "button";
    acc.addEventListener("click", function () { acceptWith(x.id, input.value); });
    const rej = el("button", "reject", "Reject");
    rej.type = "button";
    rej.addEventListener("click", function () { reject(x.id); });
    buttons.appendChild(acc);
    buttons.appendChild(rej);
    if (d) {
      const re = el("button", "reopen", "Reopen");
      re.type = "button";
      re.addEventListener("click", function () { reopen(x.id); });
      buttons.appendChild(re);
      const blocker = d.status === "accepted" ? notApplied(f).get(x.id) : null;
      if (blocker) {
        buttons.appendChild(el("span", "state not-applied", "not applied: overlaps #" + f.byId.get(blocker).n));
        const instead = el("button", "apply-instead", "Apply this one instead");
        instead.type = "button";
        instead.addEventListener("click", function () { applyInstead(x.id); });
        buttons.appendChild(instead);
      } else {
        buttons.appendChild(el("span", "state " + d.status, d.status));
      }
    }
    buttons.appendChild(el("span", "safety", "fix: " + x.fix));
    li.appendChild(buttons);
    li.addEventListener("focus", function () { select(x.id, false); });
    li.addEventListener("click", function (ev) { if (ev.target === li || ev.target.classList.contains("msg")) select(x.id, true); });
    return li;
  }
  function acceptWith(id, value) {
    const f = file(), x = f.byId.get(id);
    if (x.suggestions.length === 0 && value === "") { say("No suggestion to accept: type one in the edit box first."); return; }
    decide([{ id: id, decision: { status: "accepted", replacement: value } }], "Accepted #" + x.n + ".");
  }

  function refresh() {
    const f = file();
    const shown = visible(f);
    renderHeader(f);
    renderArticle(f, shown);
    renderCards(f, shown);
    $("preview").textContent = correctedText(f);
    $("undo").disabled = f.undo.length === 0;
    if (current) {
      const c = cardFor(current);
      if (c && document.activeElement && document.activeElement.closest && document.activeElement.closest(".card")) c.focus({ preventScroll: true });
    }
  }

  function select(id, scroll) {
    current = id;
    document.querySelectorAll(".card.current, mark.current").forEach(function (e) { e.classList.remove("current"); });
    const c = cardFor(id);
    if (c) {
      c.classList.add("current");
      if (scroll) { c.focus({ preventScroll: true }); c.scrollIntoView({ block: "center" }); }
    }
    const marks = Array.from(document.querySelectorAll("mark.f")).filter(function (m) { return m.dataset.ids.split(" ").indexOf(id) >= 0; });
    marks.forEach(function (m) { m.classList.add("current"); });
    if (scroll && marks.length) marks[0].scrollIntoView({ block: "center" });
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
  function exportDecisions() {
    const f = file();
    const data = { schema: "mtreview-decisions/1", path: f.path, hash: f.hash, decisions: f.decisions };
    download(f.name + ".decisions.json", JSON.stringify(data, null, 2) + "\n", "application/json");
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
      if (!data || data.schema !== "mtreview-decisions/1" || target < 0) {
        say("Import failed: those decisions are for another text (or not mtreview decisions).");
        return;
      }
      switchTo(target);
      const incoming = clean(file(), data.decisions || {});
      const changes = Object.keys(incoming).map(function (id) { return { id: id, decision: incoming[id] }; });
      decide(changes, "Imported " + changes.length + " decision" + (changes.length === 1 ? "" : "s") + ".");
    };
    reader.readAsText(chosen);
    input.value = "";
  }

  // ---- wiring ----
  function switchTo(i) {
    fileIndex = i;
    current = null;
    $("file-switch").value = String(i);
    const f = file();
    fillSelect($("f-category"), countBy(f.findings, "category"));
    fillSelect($("f-rule"), countBy(f.findings, "rule"));
    fillSelect($("f-source"), countBy(f.findings, "source"));
    refresh();
  }
  function setPreview(on) {
    showPreview = on;
    $("article").hidden = on;
    $("preview").hidden = !on;
    $("tab-article").setAttribute("aria-selected", String(!on));
    $("tab-preview").setAttribute("aria-selected", String(on));
  }
  function toggleHelp() {
    const help = $("help");
    help.hidden = !help.hidden;
    $("help-toggle").setAttribute("aria-expanded", String(!help.hidden));
  }

  if (files.length > 1) {
    $("file-switch-wrap").hidden = false;
    files.forEach(function (f, i) {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = f.path + " (" + f.findings.length + ")";
      $("file-switch").appendChild(o);
    });
    $("file-switch").addEventListener("change", function (ev) { switchTo(Number(ev.target.value)); });
  }
  ["f-error", "f-warning", "f-info", "f-category", "f-rule", "f-source", "f-status", "sort"].forEach(function (id) {
    $(id).addEventListener("change", refresh);
  });
  $("accept-safe").addEventListener("click", acceptAllSafe);
  $("undo").addEventListener("click", undo);
  $("download").addEventListener("click", function () {
    download(correctedName(file().name), correctedText(file()), "text/plain;charset=utf-8");
    say("Corrected text downloaded.");
  });
  $("copy").addEventListener("click", function () { copyText(correctedText(file())); });
  $("export").addEventListener("click", exportDecisions);
  $("import").addEventListener("change", importDecisions);
  $("help-toggle").addEventListener("click", toggleHelp);
  $("tab-article").addEventListener("click", function () { setPreview(false); });
  $("tab-preview").addEventListener("click", function () { setPreview(true); });
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
    const mark = ev.target.closest && ev.target.closest("mark.f");
    if (!mark || mark.classList.contains("hidden-by-filter")) return;
    const ids = mark.dataset.ids.split(" ");
    const i = ids.indexOf(current);
    select(ids[(i + 1) % ids.length], true); // a click on overlapping marks cycles through them
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
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
    else if (key === "p") setPreview(!showPreview);
    else if (key === "?") toggleHelp();
    else if (key === "e" && current) {
      const input = document.querySelector('.card[data-id="' + cssId(current) + '"] .edit');
      if (input) { input.focus(); input.select(); ev.preventDefault(); }
    } else if (key === "Escape" && !$("help").hidden) toggleHelp();
  });

  window.addEventListener("beforeprint", function () { addCards(Infinity); }); // paper gets every card
  if (files.length) switchTo(0);
  document.body.dataset.ready = "true";
})();
