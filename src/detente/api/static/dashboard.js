// Détente dashboard. Every value from the API is put into the page with textContent (never innerHTML),
// links only for http(s) addresses; charts are the brief's Vega-Lite specs rendered by vega-embed.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const EMBED = { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg" };
  let generation = 0;

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    return q.toString();
  }

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) {
      const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail || r.statusText);
      throw new Error(`${r.status}: ${detail}`);
    }
    return body;
  }

  function safeHref(u) {
    if (typeof u !== "string") return null;
    try {
      const x = new URL(u);
      return x.protocol === "http:" || x.protocol === "https:" ? x.href : null;
    } catch (e) {
      return null;
    }
  }

  function cell(tr, value, cls) {
    const td = document.createElement("td");
    td.textContent = value === null || value === undefined ? "" : String(value);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function fail(el, err) {
    el.dataset.state = "error";
    el.textContent = "";
    const p = document.createElement("p");
    p.className = "message";
    p.textContent = String(err.message || err);
    el.appendChild(p);
  }

  async function chart(id, name, params, mine) {
    const el = $(id);
    el.dataset.state = "loading";
    try {
      const spec = await getJSON(`/api/charts/${name}?${query(params)}`);
      if (mine !== generation) return;
      el.textContent = "";
      await window.vegaEmbed(el, spec, EMBED);
      el.dataset.state = "ready";
      el.dataset.dyad = params.dyad || "";
    } catch (err) {
      if (mine === generation) fail(el, err);
    }
  }

  async function phases(params, mine) {
    const body = $("phases").querySelector("tbody");
    try {
      const rows = await getJSON(`/api/indicators/phases?${query({ dyad: params.dyad })}`);
      if (mine !== generation) return;
      body.textContent = "";
      for (const r of rows.slice(-8).reverse()) {
        const tr = document.createElement("tr");
        cell(tr, r.start); cell(tr, r.end); cell(tr, r.label); cell(tr, r.mean); cell(tr, r.change);
        cell(tr, (r.opening_events || []).join(", "));
        body.appendChild(tr);
      }
    } catch (err) {
      if (mine === generation) { body.textContent = ""; const tr = document.createElement("tr"); cell(tr, err.message); body.appendChild(tr); }
    }
  }

  async function events(params, mine) {
    const body = $("events").querySelector("tbody");
    const el = $("panel-events");
    el.dataset.state = "loading";
    try {
      const page = await getJSON(`/api/events?${query({ dyad: params.dyad, start: params.start, end: params.end, limit: 100 })}`);
      if (mine !== generation) return;
      body.textContent = "";
      $("events-total").textContent = `${page.total} events; the newest ${page.items.length} shown.`;
      for (const e of page.items) {
        const tr = document.createElement("tr");
        cell(tr, e.date);
        cell(tr, e.source);
        cell(tr, e.category);
        cell(tr, `${e.actor1_country || ""} → ${e.actor2_country || ""}`);
        cell(tr, e.description, "description");
        cell(tr, `${e.source_file}:${e.source_line}`);
        const td = cell(tr, "");
        const href = safeHref(e.url);
        if (href) {
          const a = document.createElement("a");
          a.href = href;
          a.rel = "noopener noreferrer nofollow";
          a.target = "_blank";
          a.textContent = new URL(href).hostname;
          td.appendChild(a);
        }
        body.appendChild(tr);
      }
      el.dataset.state = "ready";
    } catch (err) {
      if (mine === generation) { el.dataset.state = "error"; $("events-total").textContent = err.message; }
    }
  }

  async function forecasts(mine) {
    const el = $("forecasts");
    try {
      const f = await getJSON("/api/forecasts");
      if (mine !== generation) return;
      el.textContent = "";
      if (!f.available) {
        const p = document.createElement("p");
        p.className = "message";
        p.textContent = `No forecast: ${f.reason}.`;
        el.appendChild(p);
      } else {
        const t = document.createElement("table");
        t.className = "data";
        const head = document.createElement("tr");
        for (const h of ["target", "months", "window", "ensemble", "climatology", "Brier skill", "AUC", "origins"]) {
          const th = document.createElement("th");
          th.textContent = h;
          head.appendChild(th);
        }
        t.appendChild(head);
        const key = (r) => `${r.target}|${r.horizon}`;
        const base = new Map(f.forecasts.filter((r) => r.model === "climatology").map((r) => [key(r), r]));
        const skill = new Map(f.skill.filter((r) => r.model === "ensemble").map((r) => [key(r), r]));
        for (const r of f.forecasts.filter((x) => x.model === "ensemble")) {
          const s = skill.get(key(r)) || {};
          const b = base.get(key(r)) || {};
          const tr = document.createElement("tr");
          cell(tr, `${r.target}: ${r.description}`);
          cell(tr, r.horizon);
          cell(tr, r.period);
          cell(tr, Number(r.probability).toFixed(2));
          cell(tr, b.probability === undefined ? "" : Number(b.probability).toFixed(2));
          cell(tr, s.brier_skill === null || s.brier_skill === undefined ? "n/a" : Number(s.brier_skill).toFixed(2));
          cell(tr, s.auc === null || s.auc === undefined ? "n/a" : Number(s.auc).toFixed(2));
          cell(tr, s.origins);
          t.appendChild(tr);
        }
        const p = document.createElement("p");
        p.className = "hint";
        p.textContent = `Issued after ${f.forecasts.length ? f.forecasts[0].issued : ""}: ${f.reason}. Brier skill above 0 beats climatology.`;
        el.appendChild(p);
        el.appendChild(t);
      }
      el.dataset.state = f.available ? "ready" : "unavailable";
    } catch (err) {
      if (mine === generation) fail(el, err);
    }
  }

  async function bargaining(mine) {
    const body = $("bargaining").querySelector("tbody");
    try {
      const rows = await getJSON("/api/bargaining?runs=1000");
      if (mine !== generation) return;
      body.textContent = "";
      for (const r of rows) {
        const tr = document.createElement("tr");
        cell(tr, r.issue); cell(tr, r.model); cell(tr, Number(r.outcome).toFixed(1));
        cell(tr, r.p10 === null ? "—" : `${Number(r.p10).toFixed(0)}–${Number(r.p90).toFixed(0)}`);
        cell(tr, r.input_1); cell(tr, r.note);
        body.appendChild(tr);
      }
    } catch (err) {
      if (mine === generation) { body.textContent = ""; const tr = document.createElement("tr"); cell(tr, err.message); body.appendChild(tr); }
    }
  }

  function current() {
    return { dyad: $("dyad").value || "PRK-KOR", start: $("start").value, end: $("end").value };
  }

  async function load() {
    const mine = ++generation;
    const p = current();
    $("status").textContent = `Loading ${p.dyad}…`;
    $("brief").href = `/api/brief?${query({ as_of: p.end })}`;
    await Promise.all([
      chart("chart-tension", "tension", p, mine),
      chart("chart-components", "components", p, mine),
      chart("chart-military", "military", p, mine),
      chart("chart-implementation", "implementation", { as_of: p.end }, mine),
      chart("chart-bargaining", "bargaining", { runs: 1000 }, mine),
      phases(p, mine),
      events(p, mine),
      forecasts(mine),
      bargaining(mine),
    ]);
    if (mine === generation) {
      $("status").textContent = `Showing ${p.dyad}.`;
      document.body.dataset.loaded = p.dyad;
    }
  }

  async function init() {
    try {
      const dyads = await getJSON("/api/dyads");
      const select = $("dyad");
      for (const d of dyads) {
        const o = document.createElement("option");
        o.value = d.dyad;
        o.textContent = `${d.dyad} (${d.events} events)`;
        select.appendChild(o);
      }
    } catch (err) {
      $("status").textContent = err.message;
    }
    $("controls").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
    $("dyad").addEventListener("change", load);
    await load();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
