(function () {
  "use strict";

  // ---- The article as a Word file, built in the browser: a mirror of mtreview/report/docx.py.
  // word/document.xml, word/comments.xml and docProps/core.xml come out byte for byte as
  // Python writes them (tested in Chromium); the other parts, and the templates of these
  // three, come in as data (STATIC_PARTS in docx.py). Offsets count code points.
  //
  //   window.mtreviewDocx.build(input, staticParts) -> Uint8Array (a .docx: a zip, stored)
  //     input: {text, paragraphs: [[start, end, heading]], edits: [{start, end, replacement}],
  //             comments: [{start, end, text}], date: "2026-12-03T22:00:00Z", author, title}
  //   window.mtreviewDocx.commentText(finding) -> string (a finding as a comment)

  const FIELD = /\{(body|comments|title|author|date)\}/g;
  const RUN_PIECE = /\r\n|\r|\n|\t|[^\r\n\t]+/g;
  const LINE_BREAK = /\r\n|\r|\n/;
  const PARAGRAPH_BREAK = /(?:\r\n|\r(?!\n)|\n)(?:[ \t\f\v]*(?:\r\n|\r(?!\n)|\n))+/;
  const INSERT = 0, COMMENT_END = 1, COMMENT_POINT = 2, COMMENT_START = 3;

  function fill(template, values) {
    return template.replace(FIELD, function (_, name) { return values[name]; });
  }
  function xmlChar(c) {
    // what XML 1.0 allows: tab, line breaks, U+0020-U+D7FF, U+E000-U+FFFD, U+10000 and up
    const p = c.codePointAt(0);
    return p === 9 || p === 10 || p === 13 || (p >= 0x20 && p <= 0xd7ff) || (p >= 0xe000 && p <= 0xfffd) || p >= 0x10000;
  }
  function clean(text) { return Array.from(text).filter(xmlChar).join(""); }
  function escape(text) {
    return clean(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function commentText(finding) {
    const lines = [finding.message];
    if (finding.suggestions && finding.suggestions.length) lines.push("Suggested: " + (finding.suggestions[0] || "(delete)"));
    lines.push(finding.rule);
    return lines.join("\n");
  }
  function runContent(text, tag) {
    let out = "";
    for (const m of clean(text).matchAll(RUN_PIECE)) {
      const piece = m[0];
      if (piece === "\t") out += "<w:tab/>";
      else if (piece === "\r\n" || piece === "\r" || piece === "\n") out += "<w:br/>";
      else out += "<" + tag + ' xml:space="preserve">' + escape(piece) + "</" + tag + ">";
    }
    return out;
  }
  function commentBody(text) {
    return text.split(LINE_BREAK).map(function (line) {
      const content = runContent(line, "w:t");
      return content ? "<w:p><w:r>" + content + "</w:r></w:p>" : "<w:p></w:p>";
    }).join("");
  }

  // select_edits (mtreview/fixes.py): the review page's own copy when it is there
  function comparePy(a, b) {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const p = x[i].codePointAt(0), q = y[i].codePointAt(0);
      if (p !== q) return p < q ? -1 : 1;
    }
    return x.length - y.length;
  }
  function ownSelectEdits(edits) {
    const kept = [];
    edits.slice().sort(function (a, b) {
      return a.start - b.start || b.end - a.end || comparePy(a.replacement, b.replacement);
    }).forEach(function (e) {
      const last = kept[kept.length - 1];
      if (!last || !(last.start === e.start || (last.start < e.end && e.start < last.end))) kept.push(e);
    });
    return kept;
  }
  function selectEdits(edits) {
    const shared = window.mtreviewEdits && window.mtreviewEdits.selectEdits;
    return (shared || ownSelectEdits)(edits);
  }

  function lastStartAtOrBefore(paras, x) {
    let k = -1;
    while (k + 1 < paras.length && paras[k + 1][0] <= x) k++;
    return k;
  }
  function coversBreak(s, e, end, nextStart) {
    return s <= end && e >= nextStart && (end < nextStart || (s < end && end < e));
  }

  function layout(chars, paras, edits, comments) {
    const n = paras.length;
    const events = paras.map(function () { return []; }); // {at, order, seq, kind, value}
    const deleted = paras.map(function () { return []; });
    const markDeleted = paras.map(function () { return false; });
    let seq = 0;
    selectEdits(edits).forEach(function (edit) {
      const s = edit.start, e = edit.end;
      let touched = false;
      for (let k = 0; k < n; k++) {
        const ps = paras[k][0], pe = paras[k][1];
        if (Math.max(s, ps) < Math.min(e, pe)) {
          deleted[k].push([Math.max(s, ps), Math.min(e, pe)]);
          touched = true;
        } else if (s === e && ps <= s && s <= pe) touched = true;
        if (k + 1 < n && coversBreak(s, e, pe, paras[k + 1][0])) markDeleted[k] = touched = true;
      }
      if (touched) {
        const k = lastStartAtOrBefore(paras, e);
        events[k].push({ at: Math.min(e, paras[k][1]), order: INSERT, seq: seq++, kind: "ins", value: edit.replacement });
      }
    });
    comments.forEach(function (c, id) {
      const ks = paras.findIndex(function (p) { return p[1] >= c.start; });
      const start = ks >= 0 ? [ks, Math.max(c.start, paras[ks][0])] : [n - 1, paras[n - 1][1]];
      const ke = lastStartAtOrBefore(paras, c.end);
      const end = ke >= 0 ? [ke, Math.min(c.end, paras[ke][1])] : [0, paras[0][0]];
      if (end[0] < start[0] || (end[0] === start[0] && end[1] <= start[1])) {
        events[start[0]].push({ at: start[1], order: COMMENT_POINT, seq: seq, kind: "point", value: id });
      } else {
        events[start[0]].push({ at: start[1], order: COMMENT_START, seq: seq, kind: "start", value: id });
        events[end[0]].push({ at: end[1], order: COMMENT_END, seq: seq, kind: "end", value: id });
      }
      seq++;
    });
    const out = paras.map(function (p, k) {
      const dels = deleted[k];
      const evs = events[k].slice().sort(function (a, b) { return a.at - b.at || a.order - b.order || a.seq - b.seq; });
      const set = new Set([p[0], p[1]]);
      dels.forEach(function (d) { set.add(d[0]); set.add(d[1]); });
      evs.forEach(function (ev) { set.add(ev.at); });
      const bounds = Array.from(set).sort(function (a, b) { return a - b; });
      const items = [];
      let i = 0;
      bounds.forEach(function (x, j) {
        while (i < evs.length && evs[i].at === x) {
          const ev = evs[i];
          if (ev.kind === "ins") {
            ev.value.split(PARAGRAPH_BREAK).forEach(function (piece, q) {
              if (q) items.push(["mark", null]);
              items.push(["ins", piece]);
            });
          } else if (ev.kind === "point") {
            items.push(["start", ev.value], ["end", ev.value]);
          } else items.push([ev.kind, ev.value]);
          i++;
        }
        if (j + 1 < bounds.length) {
          const y = bounds[j + 1];
          const gone = dels.some(function (d) { return d[0] <= x && y <= d[1]; });
          items.push([gone ? "del" : "run", chars.slice(x, y).join("")]);
        }
      });
      return items;
    });
    return { items: out, markDeleted: markDeleted };
  }

  function writer(author, date, firstId) {
    const attributes = 'w:author="' + escape(author) + '" w:date="' + escape(date) + '"';
    let nextId = firstId;
    function revision(tag, inner) {
      const id = nextId++;
      return inner ? "<w:" + tag + ' w:id="' + id + '" ' + attributes + ">" + inner + "</w:" + tag + ">"
        : "<w:" + tag + ' w:id="' + id + '" ' + attributes + "/>";
    }
    return function paragraph(heading, mark, items) {
      let props = '<w:pStyle w:val="' + (heading ? "Heading1" : "Normal") + '"/>';
      if (mark !== "normal") props += "<w:rPr>" + revision(mark) + "</w:rPr>";
      let out = "<w:p><w:pPr>" + props + "</w:pPr>";
      items.forEach(function (item) {
        const kind = item[0], value = item[1];
        if (kind === "run") {
          const content = runContent(value, "w:t");
          if (content) out += "<w:r>" + content + "</w:r>";
        } else if (kind === "del" || kind === "ins") {
          const content = runContent(value, kind === "del" ? "w:delText" : "w:t");
          if (content) out += revision(kind, "<w:r>" + content + "</w:r>");
        } else if (kind === "start") {
          out += '<w:commentRangeStart w:id="' + value + '"/>';
        } else {
          out += '<w:commentRangeEnd w:id="' + value + '"/><w:r><w:commentReference w:id="' + value + '"/></w:r>';
        }
      });
      return out + "</w:p>";
    };
  }

  function parts(input, staticParts) {
    const chars = Array.from(input.text);
    const author = input.author === undefined ? "mtreview" : input.author;
    const paras = input.paragraphs.length ? input.paragraphs : [[0, 0, false]];
    const edits = input.edits || [], comments = input.comments || [];
    paras.concat(edits.map(function (e) { return [e.start, e.end]; }), comments.map(function (c) { return [c.start, c.end]; }))
      .forEach(function (span) {
        if (!(0 <= span[0] && span[0] <= span[1] && span[1] <= chars.length)) {
          throw new Error("span " + span[0] + ".." + span[1] + " is outside the text (length " + chars.length + ")");
        }
      });
    const laid = layout(chars, paras, edits, comments);
    const paragraph = writer(author, input.date, comments.length);
    let body = "";
    paras.forEach(function (p, k) {
      let part = [];
      laid.items[k].forEach(function (item) {
        if (item[0] === "mark") {
          body += paragraph(p[2], "ins", part);
          part = [];
        } else part.push(item);
      });
      body += paragraph(p[2], laid.markDeleted[k] ? "del" : "normal", part);
    });
    const attributes = 'w:author="' + escape(author) + '" w:date="' + escape(input.date) + '" w:initials="MT"';
    const commentXml = comments.map(function (c, id) {
      return '<w:comment w:id="' + id + '" ' + attributes + ">" + commentBody(c.text) + "</w:comment>";
    }).join("");
    const values = { body: body, comments: commentXml, title: escape(input.title || ""), author: escape(author),
      date: escape(input.date) };
    return Object.keys(staticParts).map(function (name) { return [name, fill(staticParts[name], values)]; });
  }

  // ---- a zip of stored (uncompressed) entries, timestamps 1980-01-01 00:00
  const CRC_TABLE = (function () {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();
  function crc32(bytes) {
    let c = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }
  function zip(files) {
    const encoder = new TextEncoder();
    const chunks = [], central = [];
    let offset = 0;
    function header(size) { const b = new Uint8Array(size); return { bytes: b, view: new DataView(b.buffer) }; }
    files.forEach(function (file) {
      const name = encoder.encode(file[0]), data = encoder.encode(file[1]);
      const crc = crc32(data);
      const local = header(30);
      local.view.setUint32(0, 0x04034b50, true);
      local.view.setUint16(4, 20, true); // version needed
      local.view.setUint16(6, 0x0800, true); // names in UTF-8
      local.view.setUint16(8, 0, true); // stored
      local.view.setUint16(10, 0, true); // 00:00:00
      local.view.setUint16(12, 0x21, true); // 1980-01-01
      local.view.setUint32(14, crc, true);
      local.view.setUint32(18, data.length, true);
      local.view.setUint32(22, data.length, true);
      local.view.setUint16(26, name.length, true);
      local.view.setUint16(28, 0, true);
      const entry = header(46);
      entry.view.setUint32(0, 0x02014b50, true);
      entry.view.setUint16(4, 20, true); // made by
      entry.bytes.set(local.bytes.subarray(4, 28), 6); // version needed .. name length
      entry.view.setUint32(42, offset, true);
      chunks.push(local.bytes, name, data);
      central.push(entry.bytes, name);
      offset += 30 + name.length + data.length;
    });
    const size = central.reduce(function (n, c) { return n + c.length; }, 0);
    const end = header(22);
    end.view.setUint32(0, 0x06054b50, true);
    end.view.setUint16(8, files.length, true);
    end.view.setUint16(10, files.length, true);
    end.view.setUint32(12, size, true);
    end.view.setUint32(16, offset, true);
    const all = chunks.concat(central, [end.bytes]);
    const out = new Uint8Array(offset + size + 22);
    let at = 0;
    all.forEach(function (c) { out.set(c, at); at += c.length; });
    return out;
  }

  window.mtreviewDocx = {
    build: function (input, staticParts) { return zip(parts(input, staticParts)); },
    commentText: commentText,
  };
})();
