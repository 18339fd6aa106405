// The live dispatch board and the three-phone simulator. It reads the board
// and the simulator's messages from one event stream, and changes things
// only through the JSON API. All text from the server goes in as text
// (textContent), never as HTML.
"use strict";

(() => {
  const TOKEN_KEY = "dispatchbot.token";
  const COMPANY_KEY = "dispatchbot.company";
  const URGENCIES = ["emergency", "urgent", "routine", ""];
  const FINISHED = new Set(["done", "cancelled", "no_show"]);
  const DAY_FROM = 8, DAY_TO = 20; // the timeline's hours
  const ROLES = ["customer", "technician", "dispatcher"];

  const state = {
    token: "",
    company: "",
    board: null,
    events: null,
    retry: 1000,
    phones: [],                // [{id, role, name}]
    selected: {},              // role -> phone id
    messages: new Map(),       // phone id -> [SimMessage]
    seen: new Set(),           // SimMessage seqs already shown
    lastSeq: 0,
    unread: new Map(),         // phone id -> count of the bot's messages not yet seen
    detailID: "",
    detail: null,
    loadingDetail: false,
    reloadDetail: false,
  };

  const $ = (sel, root = document) => root.querySelector(sel);

  // el builds an element: attrs become attributes (or dataset entries for
  // data-*), children are nodes or strings (added as text).
  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false || c === "") continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  // ---- the API ----

  class APIError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  // api calls the JSON API with the token and the company; it returns the
  // decoded body, or throws an APIError with the server's message.
  async function api(path, { method = "GET", body } = {}) {
    const url = new URL(path, location.origin);
    if (state.company) url.searchParams.set("company", state.company);
    const opts = { method, headers: { Authorization: "Bearer " + state.token } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(url, opts);
    } catch (err) {
      throw new APIError(0, "the server cannot be reached");
    }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (err) { data = null; }
    if (!resp.ok) {
      if (resp.status === 401) signOut("That admin token was refused.");
      throw new APIError(resp.status, (data && data.error) || resp.status + " " + resp.statusText);
    }
    return data;
  }

  // ---- token and company ----

  // takeToken moves ?token= from the address bar into localStorage.
  function takeToken() {
    const url = new URL(location.href);
    const t = url.searchParams.get("token");
    if (t) {
      localStorage.setItem(TOKEN_KEY, t);
      url.searchParams.delete("token");
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    return localStorage.getItem(TOKEN_KEY) || "";
  }

  function showLogin(message) {
    $("#app").hidden = true;
    $("#login").hidden = false;
    $("#login-error").textContent = message || "";
    $("#login-token").focus();
  }

  function signOut(message) {
    localStorage.removeItem(TOKEN_KEY);
    state.token = "";
    if (state.events) state.events.close();
    state.events = null;
    showLogin(message);
  }

  async function start() {
    state.token = takeToken();
    if (!state.token) return showLogin();
    $("#login").hidden = true;
    $("#app").hidden = false;
    let companies;
    try {
      companies = await api("/api/v1/companies");
    } catch (err) {
      if (err.status !== 401) {
        setConn("down", err.message);
        setTimeout(start, 5000);
      }
      return;
    }
    const want = new URL(location.href).searchParams.get("company") || localStorage.getItem(COMPANY_KEY);
    const company = companies.find((c) => c.id === want) || companies[0];
    if (!company) return setConn("down", "no companies configured");
    const picker = $("#company-picker");
    picker.replaceChildren(...companies.map((c) => el("option", { value: c.id }, c.name)));
    picker.value = company.id;
    picker.hidden = companies.length < 2;
    $("#company-name").textContent = company.name;
    useCompany(company.id);
  }

  // useCompany forgets what was shown and follows company.
  function useCompany(id) {
    state.company = id;
    localStorage.setItem(COMPANY_KEY, id);
    state.board = null;
    state.messages = new Map();
    state.seen = new Set();
    state.lastSeq = 0;
    state.unread = new Map();
    closeDetail();
    loadPhones().then(() => { if (state.company === id) connect(); });
  }

  // ---- the event stream ----

  function setConn(kind, text) {
    const c = $("#conn");
    c.dataset.state = kind;
    c.textContent = text;
  }

  function connect() {
    if (state.events) state.events.close();
    const url = new URL("/api/v1/events", location.origin);
    url.searchParams.set("company", state.company);
    url.searchParams.set("token", state.token);
    if (state.lastSeq) url.searchParams.set("after", state.lastSeq); // the browser's own retries send Last-Event-ID
    const es = new EventSource(url);
    state.events = es;
    setConn("connecting", "connecting…");
    es.addEventListener("open", () => { state.retry = 1000; setConn("live", "live"); });
    es.addEventListener("board", (e) => renderBoard(JSON.parse(e.data)));
    es.addEventListener("sim", (e) => addMessages(JSON.parse(e.data)));
    es.addEventListener("error", () => {
      if (es !== state.events) return;
      setConn("down", "reconnecting…");
      if (es.readyState !== EventSource.CLOSED) return; // the browser retries by itself
      // Refused outright: check the token, then try again later.
      const wait = state.retry;
      state.retry = Math.min(state.retry * 2, 30000);
      setTimeout(() => {
        if (es !== state.events) return;
        api("/api/v1/companies").then(connect, (err) => { if (err.status !== 401) connect(); });
      }, wait);
    });
  }

  // ---- formatting ----

  const clock = (t) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const day = (t) => new Date(t).toLocaleDateString([], { weekday: "short", day: "numeric", month: "short" });
  const hasTime = (t) => t && !String(t).startsWith("0001-");

  function age(min) {
    if (min < 60) return min + " min";
    if (min < 24 * 60) return Math.floor(min / 60) + " h " + (min % 60) + " min";
    return Math.floor(min / 1440) + " d";
  }

  function slot(j) {
    if (!hasTime(j.ss)) return j.urg === "emergency" ? "now" : "";
    const when = new Date(j.ss).toDateString() === new Date().toDateString() ? "today" : day(j.ss);
    return when + " " + clock(j.ss) + "–" + clock(j.se);
  }

  const techName = (id) => {
    const t = state.board && state.board.technicians.find((x) => x.id === id);
    return t ? t.name : id;
  };

  // pendingOffer is the offer still waiting for an answer, if any.
  function pendingOffer(j) {
    const o = (j.offers || [])[(j.offers || []).length - 1];
    return o && !o.ans && new Date(o.exp) > new Date() ? o : null;
  }

  function whoHasIt(j) {
    if (j.tech) return j.tech_name || techName(j.tech);
    const o = j.st === "offered" && pendingOffer(j);
    return o ? "offered to " + techName(o.tech) : "unassigned";
  }

  const label = (s) => String(s || "").replace(/_/g, " ");

  // ---- the board ----

  function renderBoard(b) {
    state.board = b;
    $("#company-name").textContent = b.name || b.company;
    document.title = (b.name || b.company) + " — dispatch board";
    $("#updated").textContent = "updated " + new Date(b.at).toLocaleTimeString([], { hourCycle: "h23" });
    renderKPIs(b.stats || {});
    renderJobs(b.jobs || []);
    renderTechs(b.technicians || []);
    if (state.detailID) loadDetail();
  }

  function renderKPIs(stats) {
    const a = stats.all || {};
    const acc = a.minutes_to_accept || {};
    const kpi = (key, name, value, note) =>
      el("div", { class: "kpi", "data-kpi": key }, el("span", { class: "kpi-name" }, name),
        el("strong", {}, value), note ? el("span", { class: "kpi-note" }, note) : "");
    const items = [
      kpi("jobs", "Jobs today", a.jobs || 0),
      kpi("completed", "Completed", a.completed || 0,
        a.completion_rate ? Math.round(a.completion_rate * 100) + "% of finished" : ""),
    ];
    for (const u of ["emergency", "urgent", "routine"]) {
      const f = acc[u];
      items.push(kpi("accept-" + u, "To accept, " + u,
        f ? Math.round(f.mean) + " min" : "–", f ? "p90 " + Math.round(f.p90) + " min · " + f.n + " jobs" : "no jobs"));
    }
    items.push(kpi("cancelled", "Cancelled", (a.cancelled_pct || 0).toFixed(0) + "%"));
    items.push(kpi("feedback", "Feedback", a.feedback_count ? a.feedback.toFixed(1) + " ★" : "–",
      a.feedback_count ? a.feedback_count + " scores" : "none yet"));
    $("#kpis").replaceChildren(...items);
  }

  function jobCard(j) {
    const where = [j.tr, j.pc].filter(Boolean).join(" · ");
    const card = el("button", {
      type: "button",
      class: "card urg-" + (j.urg || "none") + (j.id === state.detailID ? " selected" : ""),
      "data-job": j.id, "data-status": j.st, "data-tech": j.tech || "", "data-testid": "job-" + j.id,
    },
      el("span", { class: "card-top" }, el("strong", {}, j.id),
        el("span", { class: "badge st-" + j.st }, label(j.st)),
        el("span", { class: "age" }, age(j.age_minutes || 0))),
      el("span", { class: "card-line" }, where, slot(j) ? " · " + slot(j) : ""),
      el("span", { class: "card-line tech" }, whoHasIt(j),
        j.held_by ? el("span", { class: "badge held" }, "held by " + j.held_by) : ""));
    card.addEventListener("click", () => openDetail(j.id));
    return card;
  }

  function renderJobs(jobs) {
    const open = jobs.filter((j) => !FINISHED.has(j.st));
    const groups = [];
    for (const u of URGENCIES) {
      const list = open.filter((j) => (j.urg || "") === u);
      if (!list.length) continue;
      groups.push(el("section", { class: "group urg-" + (u || "none"), "data-urgency": u || "none" },
        el("h3", {}, (u || "unsorted") + " ", el("span", { class: "count" }, list.length)),
        el("div", { class: "cards" }, list.map(jobCard))));
    }
    if (!open.length) groups.push(el("p", { class: "muted" }, "No open jobs."));
    const done = jobs.filter((j) => FINISHED.has(j.st));
    if (done.length) {
      groups.push(el("details", { class: "group finished" },
        el("summary", {}, "Finished today ", el("span", { class: "count" }, done.length)),
        el("div", { class: "cards" }, done.map(jobCard))));
    }
    const wasOpen = $("#job-groups details[open]") !== null;
    $("#job-groups").replaceChildren(...groups);
    if (wasOpen && $("#job-groups details")) $("#job-groups details").open = true;
  }

  function duty(t) {
    if (!t.on_duty) return ["off", "off duty"];
    if (t.working) return ["on", "on duty"];
    if (t.on_call) return ["call", "on call"];
    return ["off", "off shift"];
  }

  // span places job j on the 08:00-20:00 line, in percent.
  function span(j) {
    let start = hasTime(j.ss) ? new Date(j.ss) : null;
    let end = hasTime(j.se) ? new Date(j.se) : null;
    if (!start) {
      const yes = (j.offers || []).filter((o) => o.ans === "yes").pop();
      start = new Date(yes ? yes.at : j.at);
      end = new Date(start.getTime() + 60 * 60000);
    }
    const pct = (d) => {
      const h = d.getHours() + d.getMinutes() / 60;
      return Math.min(100, Math.max(0, ((h - DAY_FROM) / (DAY_TO - DAY_FROM)) * 100));
    };
    const width = Math.max(2.5, pct(end) - pct(start));
    return { left: Math.min(pct(start), 100 - width), width, start };
  }

  function renderTechs(techs) {
    const now = new Date();
    const h = now.getHours() + now.getMinutes() / 60;
    const items = techs.map((t) => {
      const [kind, text] = duty(t);
      const line = el("div", { class: "timeline", "aria-label": t.name + "'s day" });
      if (h >= DAY_FROM && h <= DAY_TO) {
        const mark = el("span", { class: "now" });
        mark.style.left = ((h - DAY_FROM) / (DAY_TO - DAY_FROM)) * 100 + "%";
        line.append(mark);
      }
      for (const j of t.today || []) {
        const s = span(j);
        const block = el("button", {
          type: "button", class: "slot urg-" + (j.urg || "none") + " st-" + j.st, "data-job": j.id,
          title: j.id + " · " + label(j.st) + " · " + clock(s.start) + (j.pc ? " · " + j.pc : ""),
        }, j.id);
        block.style.left = s.left + "%";
        block.style.width = s.width + "%";
        block.addEventListener("click", () => openDetail(j.id));
        line.append(block);
      }
      const toggle = el("button", { type: "button", class: "quiet small", "data-testid": "duty-" + t.id },
        t.on_duty ? "Set off duty" : "Set on duty");
      toggle.addEventListener("click", () => setDuty(t, toggle));
      return el("li", { class: "tech", "data-tech": t.id, "data-duty": kind, "data-testid": "tech-" + t.id },
        el("div", { class: "tech-head" },
          el("strong", {}, t.name), el("span", { class: "badge duty-" + kind }, text),
          el("span", { class: "muted small trades" }, (t.trades || []).join(", ")), toggle),
        line);
    });
    $("#tech-list").replaceChildren(...items);
  }

  async function setDuty(t, button) {
    button.disabled = true;
    try {
      await api("/api/v1/technicians/" + encodeURIComponent(t.id) + "/duty", { method: "POST", body: { on: !t.on_duty } });
    } catch (err) {
      button.textContent = err.message;
    } finally {
      button.disabled = false;
    }
  }

  // ---- the job detail panel ----

  function openDetail(id) {
    state.detailID = id;
    state.detail = null;
    $("#detail").hidden = false;
    $(".board").classList.add("has-detail");
    $("#detail-title").textContent = id;
    $("#detail-result").textContent = "";
    $("#transcript").replaceChildren();
    $("#audit").replaceChildren();
    $("#detail-facts").replaceChildren();
    for (const c of document.querySelectorAll(".card")) c.classList.toggle("selected", c.dataset.job === id);
    loadDetail();
    if (window.matchMedia("(max-width: 900px)").matches) $("#detail").scrollIntoView({ behavior: "smooth" });
  }

  function closeDetail() {
    state.detailID = "";
    state.detail = null;
    $("#detail").hidden = true;
    $(".board").classList.remove("has-detail");
    for (const c of document.querySelectorAll(".card.selected")) c.classList.remove("selected");
  }

  // loadDetail fetches the open job, one request at a time.
  async function loadDetail() {
    if (state.loadingDetail) { state.reloadDetail = true; return; }
    const id = state.detailID;
    state.loadingDetail = true;
    try {
      const j = await api("/api/v1/jobs/" + encodeURIComponent(id));
      if (id === state.detailID) renderDetail(j);
    } catch (err) {
      if (id === state.detailID) showResult(false, err.message);
    } finally {
      state.loadingDetail = false;
      if (state.reloadDetail) { state.reloadDetail = false; loadDetail(); }
    }
  }

  function renderDetail(j) {
    const first = !state.detail || state.detail.id !== j.id; // keep what the user picked on refreshes
    $("#detail-title").textContent = j.id + (j.urg ? " · " + j.urg : "");
    $("#detail").dataset.status = j.st;
    const facts = [
      ["Status", label(j.st)], ["Trade", j.tr], ["Problem", j.prob],
      ["Address", [j.addr, j.pc].filter(Boolean).join(", ")], ["Name", j.name], ["Customer", j.cust],
      ["Access", j.acc], ["Make / model", j.mm], ["Error code", j.ec], ["Details", j.det],
      ["Slot", slot(j)], ["Technician", whoHasIt(j)], ["Age", age(j.age_minutes || 0)],
      ["Held by", j.held_by], ["Fee", j.fee ? j.fee + (j.fa ? " (agreed)" : " (not agreed)") : ""],
      ["Tech's note", j.note], ["Feedback", j.fb ? j.fb + "/5 " + (j.fbc || "") : ""],
    ];
    $("#detail-facts").replaceChildren(...facts.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));

    const sel = $('form[data-action] select[name="tech"]');
    const keep = first ? j.tech : sel.value;
    state.detail = j;
    sel.replaceChildren(...(state.board ? state.board.technicians : []).map((t) =>
      el("option", { value: t.id }, t.name + (t.on_duty ? "" : " (off duty)"))));
    if (keep) sel.value = keep;
    const assign = sel.form;
    assign.dataset.action = j.tech ? "reassign" : "assign";
    assign.querySelector("button").textContent = j.tech ? "Reassign" : "Assign";
    if (first) $('form[data-action="urgency"] select').value = j.urg || "routine";
    const hold = $('[data-testid="takeover"]').form;
    hold.dataset.action = j.held_by ? "release" : "takeover";
    $('[data-testid="takeover"]').textContent = j.held_by ? "Hand back to the bot" : "Take over the chat";

    const chat = $("#transcript");
    const atEnd = !chat.childElementCount || chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
    chat.replaceChildren(...(j.transcript || []).map((m) =>
      el("li", { class: m.in ? "them" : "us" }, el("span", { class: "text" }, m.text), el("time", {}, clock(m.at)))));
    if (!(j.transcript || []).length) chat.append(el("li", { class: "muted" }, "No messages."));
    if (atEnd) chat.scrollTop = chat.scrollHeight; // follow new messages unless the reader scrolled up
    $("#audit").replaceChildren(...(j.audit || []).map((a) =>
      el("li", {}, el("time", {}, day(a.at) + " " + clock(a.at)), " ",
        el("strong", {}, label(a.from || "—") + " → " + label(a.to)), " by " + ((a.by && a.by.kind) || "?") + (a.by && a.by.id ? " " + a.by.id : ""),
        a.why ? el("span", { class: "muted" }, " — " + a.why) : "")));
  }

  function showResult(ok, text) {
    const r = $("#detail-result");
    r.dataset.ok = ok ? "yes" : "no";
    r.textContent = text;
  }

  async function submitOverride(form) {
    const id = state.detailID;
    const action = form.dataset.action;
    const body = {};
    const tech = form.querySelector('[name="tech"]');
    const arg = form.querySelector('[name="arg"]');
    if (tech) body.tech = tech.value;
    if (arg) body.arg = arg.value.trim();
    const button = form.querySelector("button");
    button.disabled = true;
    showResult(true, "…");
    try {
      const r = await api("/api/v1/jobs/" + encodeURIComponent(id) + "/" + action, { method: "POST", body });
      showResult(true, (r && r.message) || "Done.");
      if (arg && arg.tagName === "INPUT") arg.value = "";
      if (r && r.job) loadDetail();
    } catch (err) {
      showResult(false, err.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- the simulator ----

  async function loadPhones() {
    let phones;
    try {
      phones = await api("/api/v1/sim/phones");
    } catch (err) {
      if (err.status === 404) $(".sim").hidden = true; // this server runs no simulator
      for (const role of ROLES) phoneError(role, err.message);
      return;
    }
    $(".sim").hidden = false;
    state.phones = phones || [];
    for (const role of ROLES) {
      const mine = state.phones.filter((p) => p.role === role);
      if (!mine.some((p) => p.id === state.selected[role])) state.selected[role] = mine.length ? mine[0].id : "";
      renderPhone(role);
    }
  }

  function phoneBox(role) { return $("#phone-" + role); }

  function phoneError(role, text) {
    const box = phoneBox(role);
    let p = $(".phone-error", box);
    if (!p) { p = el("p", { class: "phone-error", role: "alert" }); $(".compose", box).before(p); }
    p.textContent = text;
    p.hidden = !text;
  }

  function renderPhone(role) {
    const box = phoneBox(role);
    const mine = state.phones.filter((p) => p.role === role);
    const sel = $("select", box);
    sel.replaceChildren(...mine.map((p) => {
      const n = state.unread.get(p.id) || 0;
      return el("option", { value: p.id, "data-unread": n || null }, p.name + (n ? " (" + n + " new)" : ""));
    }));
    sel.value = state.selected[role] || "";
    sel.hidden = mine.length < 2;
    const waiting = mine.filter((p) => state.unread.get(p.id)).length;
    sel.classList.toggle("has-unread", waiting > 0);
    $(".unread", box).textContent = waiting ? "● " + waiting + " unread" : "";
    box.dataset.phone = state.selected[role] || "";
    $("textarea", box).disabled = $("button", box).disabled = !state.selected[role];
    const list = $(".messages", box);
    const msgs = state.messages.get(state.selected[role]) || [];
    list.replaceChildren(...msgs.map((m) =>
      el("li", { class: m.in ? "sent" : "got", "data-seq": m.seq }, el("span", { class: "text" }, m.text), el("time", {}, clock(m.at)))));
    if (!msgs.length) list.append(el("li", { class: "muted empty" }, mine.length ? "No messages yet." : "No " + role + " phone."));
    list.scrollTop = list.scrollHeight;
  }

  // addMessages shows new simulator messages. The first batch is the
  // history: each phone picker then shows the phone that was texted last;
  // later messages to a phone not shown count as unread.
  function addMessages(batch) {
    const history = state.lastSeq === 0;
    const touched = new Set();
    for (const m of batch || []) {
      if (state.seen.has(m.seq)) continue;
      state.seen.add(m.seq);
      state.lastSeq = Math.max(state.lastSeq, m.seq);
      if (!state.messages.has(m.phone)) state.messages.set(m.phone, []);
      state.messages.get(m.phone).push(m);
      const p = state.phones.find((x) => x.id === m.phone);
      if (!p) continue;
      if (history) state.selected[p.role] = m.phone;
      else if (!m.in && state.selected[p.role] !== m.phone) state.unread.set(m.phone, (state.unread.get(m.phone) || 0) + 1);
      touched.add(p.role);
    }
    for (const role of ROLES) if (touched.has(role)) renderPhone(role);
  }

  async function sendFrom(role) {
    const box = phoneBox(role);
    const area = $("textarea", box);
    const text = area.value.trim();
    const phone = state.selected[role];
    if (!text || !phone) return;
    const button = $("button", box);
    button.disabled = true;
    try {
      await api("/api/v1/sim/send", { method: "POST", body: { phone, text } });
      area.value = "";
      phoneError(role, "");
    } catch (err) {
      phoneError(role, err.message);
    } finally {
      button.disabled = false;
      area.focus();
    }
  }

  // ---- wiring ----

  document.addEventListener("DOMContentLoaded", () => {
    $("#login").addEventListener("submit", (e) => {
      e.preventDefault();
      const t = $("#login-token").value.trim();
      if (!t) return;
      localStorage.setItem(TOKEN_KEY, t);
      $("#login-token").value = "";
      start();
    });
    $("#logout").addEventListener("click", () => signOut(""));
    $("#company-picker").addEventListener("change", (e) => useCompany(e.target.value));
    $("#detail-close").addEventListener("click", closeDetail);
    for (const form of document.querySelectorAll("#detail form[data-action]")) {
      form.addEventListener("submit", (e) => { e.preventDefault(); submitOverride(form); });
    }
    for (const role of ROLES) {
      const box = phoneBox(role);
      $(".compose", box).addEventListener("submit", (e) => { e.preventDefault(); sendFrom(role); });
      $("textarea", box).addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); sendFrom(role); }
      });
      $("select", box).addEventListener("change", (e) => {
        state.selected[role] = e.target.value;
        state.unread.delete(e.target.value);
        renderPhone(role);
      });
    }
    start();
  });
})();
