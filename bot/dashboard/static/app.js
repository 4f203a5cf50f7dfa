/* The organisers' dashboard. Plain JavaScript, no library: it reads Telegram's launch data from
   the URL fragment, signs in, and talks to the bot's API with a short-lived token in a header.
   Every text from the server is set with textContent, never as HTML. */
"use strict";
(function () {
  const TEXTS = JSON.parse(document.getElementById("texts").textContent);
  const LIVE_EVERY = 2500; // ms: the check-in counter is at most this old
  const RENEW_EVERY = 5 * 60 * 1000; // ms: well within the token's 15 minutes
  const launch = new URLSearchParams(location.hash.slice(1));
  const initData = launch.get("tgWebAppData") || "";
  let language = guessLanguage();
  let token = null;
  let current = "overview";
  let liveTimer = null;
  const list = { status: "confirmed", q: "", organisation: "", sort: "name", page: 1 };
  let searchTimer = null;
  const pages = {}; // the pages in their own files: name -> { show(section), hide() }

  // ---------------------------------------------------------------- Telegram's web-app protocol
  function postEvent(type, data) {
    const payload = data === undefined ? "" : JSON.stringify(data);
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, payload);
      } else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: data }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }),
          "https://web.telegram.org");
      }
    } catch (error) { /* a plain browser: nobody listens */ }
  }
  function receiveEvent(type, data) {
    if (type === "back_button_pressed") closeDetails();
    if (type === "theme_changed" && data && data.theme_params) applyTheme(data.theme_params);
  }
  window.Telegram = window.Telegram || {};
  window.Telegram.WebView = { receiveEvent: receiveEvent };
  window.addEventListener("message", function (event) {
    if (event.origin !== "https://web.telegram.org") return;
    try {
      const message = JSON.parse(event.data);
      receiveEvent(message.eventType, message.eventData);
    } catch (error) { /* not for us */ }
  });
  function backButton(visible) { postEvent("web_app_setup_back_button", { is_visible: visible }); }

  function applyTheme(theme) {
    const names = { bg_color: "--tg-bg", text_color: "--tg-text", hint_color: "--tg-hint",
      link_color: "--tg-link", button_color: "--tg-button", button_text_color: "--tg-button-text",
      secondary_bg_color: "--tg-secondary-bg" };
    for (const key in names) {
      const value = theme[key];
      if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        document.documentElement.style.setProperty(names[key], value);
      }
    }
  }
  try { applyTheme(JSON.parse(launch.get("tgWebAppThemeParams") || "{}")); } catch (error) { /* default colours */ }

  // ---------------------------------------------------------------- texts
  function guessLanguage() {
    try {
      const user = JSON.parse(new URLSearchParams(initData).get("user") || "{}");
      const code = String(user.language_code || "");
      if (code.startsWith("de")) return "de";
      if (code.startsWith("en")) return "en";
    } catch (error) { /* unknown */ }
    return null;
  }
  function t(key, params) {
    const catalogue = TEXTS[language || "de"] || TEXTS.de;
    let text = catalogue[key] || key;
    for (const name in params || {}) text = text.split("{" + name + "}").join(String(params[name]));
    return text;
  }
  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const name in attributes || {}) {
      if (name === "text") node.textContent = attributes[name];
      else if (name === "class") node.className = attributes[name];
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), attributes[name]);
      else node.setAttribute(name, attributes[name]);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  // ---------------------------------------------------------------- signing in and the API
  function refuse(message) {
    stopLive();
    token = null;
    document.getElementById("top").hidden = true;
    for (const section of document.querySelectorAll("main > section")) section.hidden = true;
    document.getElementById("status").hidden = true;
    const both = ["de", "en"].map(function (code) { return TEXTS[code]["reopen"]; }).join(" / ");
    document.getElementById("refusal-text").textContent = message || (language ? t("reopen") : both);
    document.getElementById("refusal").hidden = false;
  }
  // A failed call throws an Error whose message is the server's text; `status` and `data`
  // carry the rest (a conflict's first answer, a refusal's figures).
  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (token) headers["Authorization"] = "Bearer " + token;
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method: method, headers: headers, cache: "no-store",
      body: body === undefined ? undefined : (form ? body : JSON.stringify(body)) });
    let data = {};
    try { data = await response.json(); } catch (error) { /* empty answer */ }
    if (response.status === 401 || response.status === 403 || response.status === 429) {
      refuse(data.error);
      throw new Error("refused");
    }
    if (!response.ok) {
      const error = new Error(data.error || "HTTP " + response.status);
      error.status = response.status;
      error.data = data;
      throw error;
    }
    return data;
  }
  async function signIn() {
    if (!initData) { refuse(); return; }
    try {
      const session = await api("POST", "api/signin", { init_data: initData });
      token = session.token;
      language = session.language;
      document.documentElement.lang = language;
      setInterval(renew, RENEW_EVERY);
      start();
    } catch (error) { if (error.message !== "refused") refuse(); }
  }
  async function renew() {
    if (!token) return;
    try { token = (await api("POST", "api/session")).token; } catch (error) { /* refused shows */ }
  }

  // ---------------------------------------------------------------- frame and tabs
  function start() {
    document.title = t("ui.title");
    document.getElementById("title").textContent = t("ui.title");
    for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
    for (const button of document.querySelectorAll("#tabs button")) {
      button.addEventListener("click", function () { show(button.dataset.tab); });
    }
    document.getElementById("status").hidden = true;
    document.getElementById("top").hidden = false;
    show("overview");
  }
  function show(tab) {
    if (pages[current] && pages[current].hide) pages[current].hide();
    current = tab;
    closeDetails();
    for (const button of document.querySelectorAll("#tabs button")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === tab));
      if (button.dataset.tab === tab && button.scrollIntoView) button.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
    for (const section of document.querySelectorAll("section.tab")) section.hidden = section.id !== tab;
    stopLive();
    if (tab === "overview") loadOverview();
    if (tab === "registrations") loadRegistrations();
    if (tab === "door") showDoor();
    if (pages[tab]) pages[tab].show(document.getElementById(tab));
  }
  function failed(error) {
    if (error.message === "refused") return;
    const status = document.getElementById("status");
    status.textContent = t("ui.error");
    status.hidden = false;
  }

  // ---------------------------------------------------------------- live counter
  function startLive() {
    stopLive();
    liveTimer = setInterval(async function () {
      try { updateLive(await api("GET", "api/live")); } catch (error) { failed(error); }
    }, LIVE_EVERY);
  }
  function stopLive() { if (liveTimer) clearInterval(liveTimer); liveTimer = null; }
  function updateLive(figures) {
    for (const node of document.querySelectorAll("[data-live]")) {
      node.textContent = node.dataset.live === "persons" ? figures.persons
        : t("ui.checked_in_figures", figures);
    }
  }
  function liveCard() {
    return el("div", { class: "card live", id: "live" }, [
      el("div", { class: "label", text: t("ui.checked_in") }),
      el("div", { class: "figure", "data-live": "persons", text: "…" }),
      el("div", { class: "hint", "data-live": "figures", text: "" }),
    ]);
  }

  // ---------------------------------------------------------------- overview
  async function loadOverview() {
    const section = document.getElementById("overview");
    try {
      const data = await api("GET", "api/overview");
      clear(section);
      const share = data.capacity ? Math.min(100, 100 * data.confirmed_persons / data.capacity) : 0;
      section.appendChild(el("div", { class: "card", id: "capacity" }, [
        el("div", { class: "figure", text: t("ui.capacity", { confirmed: data.confirmed_persons, capacity: data.capacity }) }),
        el("div", { class: "gauge", role: "meter", "aria-valuemin": "0", "aria-valuemax": String(data.capacity),
          "aria-valuenow": String(data.confirmed_persons) }, [bar(share)]),
        el("div", { class: "hint", text: t("ui.seats_left", { seats: data.seats_left }) }),
      ]));
      const cards = el("div", { class: "cards", id: "counts" });
      for (const key of ["confirmed", "waitlisted", "declined", "not_answered"]) {
        cards.appendChild(el("div", { class: "card", "data-count": key }, [
          el("div", { class: "figure", text: String(data.counts[key]) }),
          el("div", { class: "label", text: t("ui." + key) }),
        ]));
      }
      cards.appendChild(liveCard());
      const feedback = data.feedback.count
        ? t("ui.feedback_figures", { average: data.feedback.average.toFixed(1), count: data.feedback.count })
        : t("ui.feedback_none");
      cards.appendChild(figureCard(t("ui.feedback"), feedback));
      cards.appendChild(figureCard(t("ui.next_reminder"), data.next_reminder || t("ui.no_reminder")));
      cards.appendChild(figureCard(t("ui.outbox"), String(data.pending_outbox)));
      section.appendChild(cards);
      section.appendChild(el("div", { class: "card" }, [
        el("h2", { text: t("ui.history") }), chart(data.history, data.capacity)]));
      updateLive(data.checked_in);
      startLive();
    } catch (error) { failed(error); }
  }
  function bar(share) {
    const filled = el("div");
    filled.style.width = share.toFixed(1) + "%"; // CSSOM, not a style attribute: the CSP allows it
    return filled;
  }
  function figureCard(label, value) {
    return el("div", { class: "card" }, [
      el("div", { class: "label", text: label }), el("div", { text: value })]);
  }
  function chart(history, capacity) {
    if (!history.length) return el("p", { class: "hint", text: t("ui.no_history") });
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "chart");
    svg.setAttribute("viewBox", "0 0 600 160");
    svg.setAttribute("preserveAspectRatio", "none");
    const times = history.map(function (point) { return Date.parse(point[0]); });
    const first = times[0], last = Math.max(times[times.length - 1], first + 1);
    const top = Math.max(capacity, ...history.map(function (point) { return point[1]; }), 1);
    const x = function (time) { return 4 + 592 * (time - first) / (last - first); };
    const y = function (value) { return 156 - 150 * value / top; };
    let points = "";
    history.forEach(function (point, index) {
      if (index) points += x(times[index]).toFixed(1) + "," + y(history[index - 1][1]).toFixed(1) + " ";
      points += x(times[index]).toFixed(1) + "," + y(point[1]).toFixed(1) + " ";
    });
    const cap = document.createElementNS(ns, "line");
    cap.setAttribute("class", "cap");
    cap.setAttribute("x1", "0"); cap.setAttribute("x2", "600");
    cap.setAttribute("y1", String(y(capacity))); cap.setAttribute("y2", String(y(capacity)));
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("class", "line");
    line.setAttribute("points", points.trim());
    svg.appendChild(cap);
    svg.appendChild(line);
    return svg;
  }

  // ---------------------------------------------------------------- registrations
  async function loadRegistrations() {
    const section = document.getElementById("registrations");
    const query = new URLSearchParams({ page: String(list.page), sort: list.sort });
    if (list.status) query.set("status", list.status);
    if (list.q) query.set("q", list.q);
    if (list.organisation) query.set("organisation", list.organisation);
    try {
      const data = await api("GET", "api/registrations?" + query.toString());
      if (!section.firstChild) buildRegistrationTools(section);
      fillRegistrations(section, data);
    } catch (error) { failed(error); }
  }
  function buildRegistrationTools(section) {
    const search = el("input", { type: "search", id: "search", placeholder: t("ui.search"),
      "aria-label": t("ui.search"), autocomplete: "off" });
    search.addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(function () { list.q = search.value.trim(); list.page = 1; loadRegistrations(); }, 250);
    });
    const organisation = el("select", { id: "organisation", "aria-label": t("ui.organisation_filter") });
    organisation.addEventListener("change", function () { list.organisation = organisation.value; list.page = 1; loadRegistrations(); });
    const sort = el("select", { id: "sort", "aria-label": t("ui.sort") });
    for (const key of ["name", "organisation", "persons", "registered", "changed"]) {
      sort.appendChild(el("option", { value: key, text: t("ui.sort_" + key) }));
    }
    sort.addEventListener("change", function () { list.sort = sort.value; list.page = 1; loadRegistrations(); });
    const exportButton = el("button", { type: "button", class: "secondary", id: "export", text: t("ui.export") });
    exportButton.addEventListener("click", exportCsv);
    section.appendChild(el("div", { class: "status-tabs", id: "status-tabs" }));
    section.appendChild(el("div", { class: "toolbar" }, [search, organisation, sort, exportButton]));
    section.appendChild(el("p", { class: "note", id: "export-note", hidden: "" }));
    section.appendChild(el("table", { id: "table" }));
    section.appendChild(el("div", { class: "pager", id: "pager" }));
  }
  function fillRegistrations(section, data) {
    const tabs = clear(section.querySelector("#status-tabs"));
    const all = Object.values(data.counts).reduce(function (a, b) { return a + b; }, 0);
    for (const key of ["confirmed", "waitlisted", "declined", "cancelled", ""]) {
      const count = key ? (data.counts[key] || 0) : all;
      const button = el("button", { type: "button", "data-status": key, "aria-pressed": String(list.status === key),
        text: t(key ? "ui." + key : "ui.all") + " (" + count + ")" });
      button.addEventListener("click", function () { list.status = key; list.page = 1; loadRegistrations(); });
      tabs.appendChild(button);
    }
    const organisation = section.querySelector("#organisation");
    clear(organisation).appendChild(el("option", { value: "", text: t("ui.organisation_filter") }));
    for (const name of data.organisations) organisation.appendChild(el("option", { value: name, text: name }));
    organisation.value = list.organisation;
    const table = clear(section.querySelector("#table"));
    table.appendChild(el("thead", {}, [el("tr", {}, [
      el("th", { text: t("ui.name") }), el("th", { text: t("ui.organisation") }),
      el("th", { class: "num", text: t("ui.persons") }), el("th", { class: "hide-narrow", text: t("ui.status") }),
      el("th", { class: "hide-narrow", text: t("ui.registered") })])]));
    const body = el("tbody");
    for (const row of data.rows) {
      const line = el("tr", { "data-id": String(row.id), tabindex: "0" }, [
        el("td", { text: row.name }), el("td", { text: row.organisation || t("ui.none") }),
        el("td", { class: "num", text: String(row.persons) }),
        el("td", { class: "hide-narrow", text: row.status_label + (row.checked_in ? " ✓" : "") }),
        el("td", { class: "hide-narrow", text: row.registered })]);
      line.addEventListener("click", function () { openDetails(row.id); });
      line.addEventListener("keydown", function (event) { if (event.key === "Enter") openDetails(row.id); });
      body.appendChild(line);
    }
    table.appendChild(body);
    if (!data.rows.length) table.appendChild(el("caption", { text: t("ui.nobody") }));
    const pages = Math.max(1, Math.ceil(data.total / data.page_size));
    const pager = clear(section.querySelector("#pager"));
    const previous = el("button", { type: "button", class: "secondary", text: t("ui.previous") });
    const next = el("button", { type: "button", class: "secondary", text: t("ui.next") });
    previous.disabled = list.page <= 1;
    next.disabled = list.page >= pages;
    previous.addEventListener("click", function () { list.page -= 1; loadRegistrations(); });
    next.addEventListener("click", function () { list.page += 1; loadRegistrations(); });
    pager.appendChild(previous);
    pager.appendChild(el("span", { class: "hint", id: "page", text: t("ui.page", { page: list.page, pages: pages, total: data.total }) }));
    pager.appendChild(next);
  }
  async function exportCsv() {
    const note = document.getElementById("export-note");
    try {
      await api("POST", "api/export");
      note.textContent = t("ui.exported");
      note.className = "note good";
    } catch (error) {
      if (error.message === "refused") return;
      note.textContent = t("ui.export_failed");
      note.className = "note warn";
    }
    note.hidden = false;
  }
  async function openDetails(id) {
    try {
      const row = await api("GET", "api/registrations/" + id);
      const checkedIn = row.checked_in
        ? t("ui.checked_in_at", { time: row.checked_in, by: row.checked_in_by || t("ui.someone"), persons: row.checked_in_persons })
        : t("ui.not_checked_in");
      const facts = [["ui.organisation", row.organisation || t("ui.none")], ["ui.persons", String(row.persons)],
        ["ui.status", row.status_label], ["ui.dietary", row.dietary], ["ui.accessibility", row.accessibility || t("ui.none")],
        ["ui.language", row.language], ["ui.registered", row.registered], ["ui.changed", row.changed],
        ["ui.consent", row.consent || t("ui.none")], ["ui.ticket", t(row.ticket ? "ui.ticket_valid" : "ui.ticket_none")],
        ["ui.checked_in", checkedIn]];
      const list = el("dl");
      for (const fact of facts) {
        list.appendChild(el("dt", { text: t(fact[0]) }));
        list.appendChild(el("dd", { text: fact[1] }));
      }
      showDetails(row.name, [list]);
    } catch (error) { failed(error); }
  }
  function showDetails(title, nodes) {
    const section = clear(document.getElementById("details"));
    const close = el("button", { type: "button", class: "secondary", "data-test": "details-close", text: t("ui.close") });
    close.addEventListener("click", closeDetails);
    section.appendChild(el("h2", { text: title }));
    for (const node of nodes) section.appendChild(node);
    section.appendChild(close);
    document.getElementById(current).hidden = true;
    section.hidden = false;
    backButton(true);
  }
  function closeDetails() {
    const section = document.getElementById("details");
    if (section.hidden) return;
    section.hidden = true;
    document.getElementById(current).hidden = false;
    backButton(false);
  }

  // ---------------------------------------------------------------- door
  function showDoor() {
    const section = document.getElementById("door");
    if (!section.firstChild) {
      const search = el("input", { type: "search", id: "door-search", placeholder: t("ui.door_search"),
        "aria-label": t("ui.door_search"), autocomplete: "off" });
      search.addEventListener("input", function () {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(function () { doorSearch(search.value.trim()); }, 250);
      });
      section.appendChild(el("div", { class: "cards" }, [liveCard()]));
      section.appendChild(el("div", { class: "toolbar" }, [search]));
      section.appendChild(el("ul", { class: "matches", id: "matches" }));
      section.appendChild(el("div", { id: "door-card" }));
    } else {
      section.querySelector("#live").replaceWith(liveCard());
    }
    api("GET", "api/live").then(updateLive, failed);
    startLive();
  }
  async function doorSearch(query) {
    const matches = clear(document.getElementById("matches"));
    if (!query) return;
    try {
      const data = await api("GET", "api/door?" + new URLSearchParams({ q: query }).toString());
      if (!data.matches.length) matches.appendChild(el("li", { class: "hint", text: t("ui.door_nobody") }));
      for (const match of data.matches) {
        const button = el("button", { type: "button", "data-id": String(match.id),
          text: match.name + " · " + (match.organisation || t("ui.none")) + " (" + match.persons + ")" });
        button.addEventListener("click", function () { openCard(match.id); });
        matches.appendChild(el("li", {}, [button]));
      }
      if (data.matches.length === 1) openCard(data.matches[0].id);
    } catch (error) { failed(error); }
  }
  async function openCard(id) {
    try { renderCard(await api("GET", "api/door/" + id), null); } catch (error) {
      if (error.message !== "refused") renderCard(null, ["warn", t("ui.stale")]);
    }
  }
  function renderCard(card, note) {
    const place = clear(document.getElementById("door-card"));
    if (note) place.appendChild(el("p", { class: "note " + note[0], id: "door-note", text: note[1] }));
    if (!card) return;
    const box = el("div", { class: "door-card", "data-id": String(card.id) }, [
      el("h2", { text: card.name }),
      el("div", { text: card.organisation || t("ui.none") }),
      el("div", { class: "hint", text: t("ui.persons") + ": " + card.persons }),
    ]);
    const buttons = el("div", { class: "buttons" });
    if (card.checked_in) {
      box.appendChild(el("p", { text: t("ui.checked_in_at", { time: card.checked_in, by: card.checked_in_by || t("ui.someone"), persons: card.checked_in_persons }) }));
      const undo = el("button", { type: "button", class: "secondary", text: t("ui.undo") });
      undo.addEventListener("click", function () { act(card, "undo", {}); });
      buttons.appendChild(undo);
    } else {
      for (let count = 1; count <= card.persons; count += 1) {
        const button = el("button", { type: "button", class: "primary", text: t("ui.check_in", { count: count }) });
        button.addEventListener("click", function () { act(card, "checkin", { persons: count }); });
        buttons.appendChild(button);
      }
    }
    box.appendChild(buttons);
    place.appendChild(box);
  }
  async function act(card, action, body) {
    for (const button of document.querySelectorAll("#door-card button")) button.disabled = true;
    try {
      const result = await api("POST", "api/door/" + card.id + "/" + action, Object.assign({ token: card.token }, body));
      const after = result.card;
      const notes = {
        checked_in: ["good", after && t("ui.done", { time: after.checked_in, persons: after.checked_in_persons, registered: after.persons })],
        already: ["warn", after && t("ui.already", { time: after.checked_in, by: after.checked_in_by || t("ui.someone"), persons: after.checked_in_persons, registered: after.persons })],
        undone: ["good", t("ui.undone")],
        not_checked_in: ["warn", t("ui.undone")],
        invalid: ["warn", t("ui.stale")],
      };
      renderCard(result.outcome === "invalid" ? null : after, notes[result.outcome]);
      updateLive(await api("GET", "api/live"));
    } catch (error) { failed(error); }
  }

  // What the pages in their own files use (organisations.js, inbox.js, announcements.js).
  window.Dashboard = {
    api: api, t: t, el: el, clear: clear, failed: failed, showDetails: showDetails,
    closeDetails: closeDetails, language: function () { return language; },
    page: function (name, handlers) { pages[name] = handlers; },
    note: function (node, kind, text) { node.className = "note " + kind; node.textContent = text; node.hidden = false; },
  };

  postEvent("web_app_ready");
  postEvent("web_app_expand");
  // Signing in waits for the other pages' files, which register themselves as they load.
  window.addEventListener("DOMContentLoaded", signIn);
})();
