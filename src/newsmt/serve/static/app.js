// newsmt web page: POST /v1/articles, show the aligned record, download renderings via /v1/render.
// Only textContent is used for text from the server or the user (no HTML injection). An API key is
// kept in this browser's local storage and sent to this server only (Authorization header).
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const KEY = "newsmt.apiKey";
  let record = null;
  const meaning = {};  // flag -> its explanation, from the legend

  function headers() {
    const h = { "Content-Type": "application/json" };
    const key = $("apikey").value.trim();
    if (key) h["Authorization"] = "Bearer " + key;
    return h;
  }

  function keepKey() {
    const key = $("apikey").value.trim();
    try {
      if (key) localStorage.setItem(KEY, key); else localStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: the key lives in the field only */ }
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function status(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("error", Boolean(isError));
  }

  async function fetchJSON(url, options) {
    const resp = await fetch(url, options);
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) {
      const msg = body && body.error ? body.error : resp.status + " " + resp.statusText;
      throw new Error(msg);
    }
    return body;
  }

  function option(value, label) {
    return el("option", { value: value, text: label });
  }

  async function loadLanguages() {
    try {
      const [langs, models, settings] = await Promise.all([
        fetchJSON("/languages"), fetchJSON("/v1/models"), fetchJSON("/frontend/settings")]);
      $("key-field").hidden = !settings.apiKeys;
      const src = $("src"), tgt = $("tgt");
      const names = {};
      for (const l of langs) names[l.code] = l.name;
      for (const l of langs) if (l.targets.length) src.append(option(l.code, l.name + " (" + l.code + ")"));
      const targets = new Set();
      for (const l of langs) for (const t of l.targets) targets.add(t);
      for (const t of [...targets].sort()) tgt.append(option(t, (names[t] || t) + " (" + t + ")"));
      const def = models.default || {};
      if (def.src && [...src.options].some((o) => o.value === def.src)) src.value = def.src;
      if (def.tgt && targets.has(def.tgt)) tgt.value = def.tgt;
      if (models.state !== "ready") status("The models are loading: " + models.state);
    } catch (e) {
      status("Could not load the languages: " + e.message, true);
    }
  }

  function flagList(flags) {
    const cell = el("td", { class: "flags" });
    for (const f of flags || []) cell.append(flag(f));
    if (!cell.childElementCount) cell.append(el("span", { class: "noflag", title: "no flags", text: "—" }));
    return cell;
  }

  function show(rec) {
    record = rec;
    const body = $("aligned").querySelector("tbody");
    body.replaceChildren();
    let n = 0;
    for (const p of rec.paragraphs || []) {
      for (const s of p.sentences || []) {
        const tr = rec.translations ? rec.translations[s.id] : null;
        const row = el("tr", { id: "s-" + s.id, class: "sentence kind-" + (p.kind || "text") },
          el("td", { class: "sid", text: s.id }),
          el("td", { class: "src", lang: rec.lang, text: s.text }),
          el("td", { class: "tgt", lang: rec.tgt_lang || "", text: tr ? tr.text : "" }),
          flagList(tr ? tr.flags : (p.translatable ? ["untranslated"] : [])));
        if (tr && tr.score !== null && tr.score !== undefined) row.title = "score " + tr.score;
        body.append(row);
        n += 1;
      }
    }
    $("count").textContent = "(" + n + ")";
    $("src-head").textContent = "source (" + rec.lang + ")";
    $("tgt-head").textContent = "translation (" + (rec.tgt_lang || "—") + ")";

    const sums = $("summaries");
    sums.replaceChildren();
    for (const summary of rec.summaries || []) {
      const list = el("ol", { class: "summary", lang: summary.lang });
      for (const s of summary.sentences) {
        const links = el("span", { class: "sources" });
        for (const sid of s.sources) {
          const a = el("a", { href: "#s-" + sid, class: "source-link", text: sid });
          a.addEventListener("click", () => highlight(sid));
          links.append(a, " ");
        }
        list.append(el("li", {}, el("span", { class: "summary-text", text: s.text }), " ", links, flagSpan(s.flags)));
      }
      sums.append(el("h3", { text: summary.lang + " · " + summary.method }), list);
    }
    $("summary-section").hidden = !(rec.summaries && rec.summaries.length);
    $("result").hidden = false;
  }

  function flagSpan(flags) {
    const span = el("span", { class: "flags" });
    for (const f of flags || []) span.append(flag(f));
    return span;
  }

  function flag(name) {
    return el("span", { class: "flag flag-" + name, text: name, title: meaning[name] || name });
  }

  function highlight(sid) {
    for (const r of document.querySelectorAll("tr.highlight")) r.classList.remove("highlight");
    const row = $("s-" + sid);
    if (row) row.classList.add("highlight");
  }

  async function submit(event) {
    event.preventDefault();
    const text = $("text").value;
    if (!text.trim()) { status("Paste an article first.", true); return; }
    const payload = {
      text: text, format: $("format").value, src: $("src").value, tgt: $("tgt").value,
      summarize: $("summarize").checked,
    };
    $("translate").disabled = true;
    status("Translating…");
    const t0 = performance.now();
    try {
      keepKey();
      const rec = await fetchJSON("/v1/articles", { method: "POST", headers: headers(), body: JSON.stringify(payload) });
      show(rec);
      const n = Object.keys(rec.translations || {}).length;
      status("Done: " + n + " sentences in " + ((performance.now() - t0) / 1000).toFixed(1) + " s.");
    } catch (e) {
      status("Error: " + e.message, true);
    } finally {
      $("translate").disabled = false;
    }
  }

  async function download(event) {
    if (!record) return;
    const fmt = event.currentTarget.dataset.format;
    try {
      const resp = await fetch("/v1/render?format=" + encodeURIComponent(fmt), {
        method: "POST", headers: headers(), body: JSON.stringify(record),
      });
      if (!resp.ok) {
        let msg = resp.status + "";
        try { msg = (await resp.json()).error; } catch (e) { /* keep the status */ }
        throw new Error(msg);
      }
      const cd = resp.headers.get("Content-Disposition") || "";
      const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(cd), plain = /filename="([^"]+)"/.exec(cd);
      const name = utf8 ? decodeURIComponent(utf8[1]) : plain ? plain[1] : "newsmt." + fmt;
      const blob = await resp.blob();
      const a = el("a", { href: URL.createObjectURL(blob), download: name });
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (e) {
      status("Download failed: " + e.message, true);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const dt of document.querySelectorAll("#legend dt")) meaning[dt.textContent.trim()] = dt.nextElementSibling.textContent;
    try { $("apikey").value = localStorage.getItem(KEY) || ""; } catch (e) { /* storage disabled */ }
    $("form").addEventListener("submit", submit);
    for (const b of document.querySelectorAll("button.download")) b.addEventListener("click", download);
    loadLanguages();
  });
})();
