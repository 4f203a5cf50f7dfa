/* The announcements page: compose with a formatting toolbar, preview as Telegram shows it,
   choose the audience with its count, confirm, follow the delivery, stop it, history. */
"use strict";
(function () {
  const D = window.Dashboard;
  const t = D.t, el = D.el;
  const POLL_EVERY = 2000; // ms
  let pollTimer = null;
  let previewTimer = null;
  let key = null; // one send: kept until the server has answered, so a retry sends nothing twice
  let editors = null;
  let audiences = [];

  function other() { return D.language() === "en" ? "de" : "en"; }
  function texts() {
    const result = {};
    result[D.language() || "de"] = editors.own.area.value;
    if (editors.toggle.checked && editors.other.area.value.trim()) result[other()] = editors.other.area.value;
    return result;
  }
  function chosenOrganisations(section) {
    return Array.from(section.querySelectorAll("[data-test=ann-org]:checked"), function (box) { return Number(box.value); });
  }

  function build(section, data) {
    editors = { own: D.editor({ "data-test": "ann-text", "aria-label": t("ui.ann_text") }),
      other: D.editor({ "data-test": "ann-text-other", "aria-label": t("ui.ann_text_other", { language: other().toUpperCase() }) }),
      toggle: el("input", { type: "checkbox", "data-test": "ann-other-toggle" }) };
    const otherBox = el("div", { hidden: "" }, [editors.other.node]);
    editors.toggle.addEventListener("change", function () { otherBox.hidden = !editors.toggle.checked; schedulePreview(section); });
    for (const name of ["own", "other"]) editors[name].area.addEventListener("input", function () { schedulePreview(section); });
    const organisations = el("div", { class: "choices", id: "ann-organisations" });
    for (const option of data.organisations) {
      const box = el("input", { type: "checkbox", value: String(option.id), "data-test": "ann-org" });
      box.addEventListener("change", function () { loadAudiences(section); });
      organisations.appendChild(el("label", {}, [box, document.createTextNode(" " + option.name + " (" + option.partners + ")")]));
    }
    const send = el("button", { type: "button", class: "primary", "data-test": "ann-send", text: t("ui.ann_send") });
    send.addEventListener("click", function () { confirmSend(section); });
    section.appendChild(el("div", { class: "card form" }, [
      el("h2", { text: t("ui.ann_compose") }), editors.own.node,
      el("label", {}, [editors.toggle, document.createTextNode(" " + t("ui.ann_other", { language: other().toUpperCase() }))]),
      otherBox,
      el("h3", { text: t("ui.ann_preview") }), el("div", { id: "ann-preview", "data-test": "ann-preview" }),
      el("h3", { text: t("ui.ann_audience") }), el("div", { class: "choices", id: "ann-audiences", "data-test": "ann-audiences" }),
      el("details", {}, [el("summary", { text: t("ui.ann_organisations") }), organisations]),
      send, el("div", { id: "ann-confirm", "data-test": "ann-confirm", hidden: "" }),
      el("p", { class: "note", id: "ann-note", "data-test": "ann-note", hidden: "" }),
    ]));
    section.appendChild(el("div", { id: "ann-progress", "data-test": "ann-progress", hidden: "" }));
    section.appendChild(el("div", { class: "card" }, [el("h2", { text: t("ui.ann_history") }),
      el("table", { id: "ann-history", "data-test": "ann-history" })]));
  }

  async function loadAudiences(section) {
    const query = new URLSearchParams({ organisations: chosenOrganisations(section).join(",") });
    try {
      audiences = (await D.api("GET", "api/announcements/audiences?" + query.toString())).audiences;
      const place = section.querySelector("#ann-audiences");
      const chosen = (place.querySelector("input:checked") || {}).value || "all";
      D.clear(place);
      for (const audience of audiences) {
        const radio = el("input", { type: "radio", name: "ann-audience", value: audience.key, "data-test": "ann-audience" });
        radio.checked = audience.key === chosen;
        place.appendChild(el("label", { "data-count": String(audience.count) }, [radio,
          document.createTextNode(" " + audience.label + " (" + audience.count + ")")]));
      }
    } catch (error) { D.failed(error); }
  }

  function schedulePreview(section) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () { preview(section); }, 400);
  }
  async function preview(section) {
    const place = D.clear(section.querySelector("#ann-preview"));
    if (!editors.own.area.value.trim()) return;
    try {
      const data = await D.api("POST", "api/announcements/preview", { texts: texts() });
      for (const language in data.versions) {
        place.appendChild(el("div", { class: "hint", text: language.toUpperCase() }));
        place.appendChild(D.formatted(data.versions[language], { "data-language": language }));
      }
    } catch (error) {
      if (error.message !== "refused") place.appendChild(el("p", { class: "note warn", "data-test": "ann-preview-error", text: error.message }));
    }
  }

  function confirmSend(section) {
    const chosen = section.querySelector("[data-test=ann-audience]:checked");
    const audience = audiences.find(function (item) { return chosen && item.key === chosen.value; });
    const box = D.clear(section.querySelector("#ann-confirm"));
    const note = section.querySelector("#ann-note");
    note.hidden = true;
    if (!audience) return;
    if (!audience.count) { D.note(note, "warn", t("ui.ann_nobody")); return; }
    if (!key) key = D.newKey();
    const yes = el("button", { type: "button", class: "primary", "data-test": "ann-confirm-yes", text: t("ui.ann_confirm_yes", { count: audience.count }) });
    const no = el("button", { type: "button", class: "secondary", "data-test": "ann-confirm-no", text: t("ui.cancel") });
    no.addEventListener("click", function () { box.hidden = true; });
    yes.addEventListener("click", async function () {
      yes.disabled = true;
      try {
        const sent = await D.api("POST", "api/announcements", { key: key, texts: texts(), audience: audience.key,
          organisations: chosenOrganisations(section) });
        key = null;
        box.hidden = true;
        follow(section, sent);
      } catch (error) {
        yes.disabled = false;
        if (error.message !== "refused") D.note(note, "warn", error.message);
      }
    });
    box.appendChild(el("p", { text: t("ui.ann_confirm", { count: audience.count, audience: audience.label }) }));
    box.appendChild(el("div", { class: "buttons" }, [yes, no]));
    box.hidden = false;
  }

  function follow(section, report) {
    const place = D.clear(section.querySelector("#ann-progress"));
    place.hidden = false;
    const box = el("div", { class: "card", "data-id": String(report.id), "data-status": report.status }, [
      el("h2", { text: t("ui.ann_progress", { id: report.id }) + " · " + report.status_label }),
      el("div", { class: "hint", text: report.audience }), figures(report)]);
    if (report.status === "sending") {
      const stop = el("button", { type: "button", class: "secondary danger", "data-test": "ann-cancel", text: t("ui.ann_stop") });
      stop.addEventListener("click", async function () {
        if (!window.confirm(t("ui.ann_stop_confirm", { pending: report.pending }))) return;
        try { follow(section, await D.api("POST", "api/announcements/" + report.id + "/cancel")); loadHistory(section); } catch (error) { D.failed(error); }
      });
      box.appendChild(stop);
    } else {
      loadHistory(section);
    }
    place.appendChild(box);
    stopPolling();
    if (report.status === "sending") {
      pollTimer = setTimeout(async function () {
        try { follow(section, await D.api("GET", "api/announcements/" + report.id)); } catch (error) { D.failed(error); }
      }, POLL_EVERY);
    }
  }
  function figures(report) {
    const list = el("div", { class: "cards" });
    for (const name of ["sent", "unreachable", "failed", "pending"]) {
      list.appendChild(el("div", { class: "card", "data-figure": name }, [
        el("div", { class: "figure", text: String(report[name]) }), el("div", { class: "label", text: t("ui.ann_" + name) })]));
    }
    return list;
  }
  function stopPolling() { clearTimeout(pollTimer); pollTimer = null; }

  async function loadHistory(section) {
    try {
      const data = await D.api("GET", "api/announcements");
      const table = D.clear(section.querySelector("#ann-history"));
      table.appendChild(el("thead", {}, [el("tr", {}, [el("th", { text: "#" }), el("th", { text: t("ui.ann_when") }),
        el("th", { text: t("ui.ann_audience") }), el("th", { class: "num", text: t("ui.ann_sent") }),
        el("th", { class: "num hide-narrow", text: t("ui.ann_unreachable") }), el("th", { class: "num hide-narrow", text: t("ui.ann_failed") }),
        el("th", { text: t("ui.status") }), el("th")])]));
      const body = el("tbody");
      for (const report of data.history) {
        const action = el("td");
        if (report.unreachable || report.failed) {
          const csv = el("button", { type: "button", class: "secondary", "data-test": "ann-undelivered", text: t("ui.ann_undelivered") });
          csv.addEventListener("click", async function () {
            try { await D.api("POST", "api/announcements/" + report.id + "/undelivered"); csv.textContent = t("ui.ann_undelivered_sent"); } catch (error) { D.failed(error); }
          });
          action.appendChild(csv);
        }
        const row = el("tr", { "data-test": "ann-row", "data-id": String(report.id), "data-status": report.status }, [
          el("td", { text: String(report.id) }), el("td", { text: report.created }), el("td", { text: report.audience }),
          el("td", { class: "num", text: report.sent + "/" + report.total }), el("td", { class: "num hide-narrow", text: String(report.unreachable) }),
          el("td", { class: "num hide-narrow", text: String(report.failed) }), el("td", { text: report.status_label }), action]);
        if (report.status === "sending") row.addEventListener("click", function (event) { if (event.target.tagName !== "BUTTON") follow(section, report); });
        body.appendChild(row);
      }
      table.appendChild(body);
    } catch (error) { D.failed(error); }
  }

  async function show(section) {
    if (section.firstChild) { loadAudiences(section); loadHistory(section); return; }
    try {
      build(section, await D.api("GET", "api/announcements"));
      loadAudiences(section);
      loadHistory(section);
    } catch (error) { D.failed(error); }
  }

  D.page("announcements", { show: show, hide: stopPolling });
})();
