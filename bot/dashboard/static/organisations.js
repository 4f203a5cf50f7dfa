/* The organisations page: partner organisations with places, partners and invite links;
   creating, editing, importing, revoking; who has not come yet; one organisation's partners. */
"use strict";
(function () {
  const D = window.Dashboard;
  const t = D.t, el = D.el;
  let view = "all"; // or "missing"

  function field(name, label, attributes) {
    const input = el("input", Object.assign({ name: name, "data-test": "org-field-" + name, "aria-label": t(label) },
      attributes || {}));
    return el("label", { class: "field" }, [el("span", { class: "hint", text: t(label) }), input]);
  }
  function values(form) {
    const data = {};
    for (const input of form.querySelectorAll("input[name]")) data[input.name] = input.value.trim();
    return data;
  }

  function build(section) {
    const note = el("p", { class: "note", id: "org-note", "data-test": "org-note", hidden: "" });
    const create = el("form", { class: "form grid", "data-test": "org-create-form" }, [
      field("name", "ui.org_name", { required: "" }), field("kind", "ui.org_kind"),
      field("contacts", "ui.org_contacts"), field("places", "ui.org_places", { inputmode: "numeric" }),
      field("uses", "ui.org_uses", { inputmode: "numeric" }), field("days", "ui.org_days", { inputmode: "numeric" }),
      el("button", { type: "submit", class: "primary", "data-test": "org-create", text: t("ui.org_create") }),
    ]);
    create.addEventListener("submit", async function (event) {
      event.preventDefault();
      try {
        const made = await D.api("POST", "api/organisations", values(create));
        create.reset();
        D.note(note, "good", t("ui.org_created", { name: made.name }));
        note.appendChild(document.createTextNode(" "));
        note.appendChild(D.copyButton(made.url, "copy-new-link"));
        load(section);
      } catch (error) { if (error.message !== "refused") D.note(note, "warn", error.message); }
    });
    const file = el("input", { type: "file", accept: ".csv,text/csv", "data-test": "org-import-file",
      "aria-label": t("ui.org_import") });
    const importButton = el("button", { type: "button", class: "secondary", "data-test": "org-import",
      text: t("ui.org_import") });
    importButton.addEventListener("click", async function () {
      if (!file.files.length) { file.click(); return; }
      const form = new FormData();
      form.append("file", file.files[0]);
      try {
        const done = await D.api("POST", "api/organisations/import", form);
        D.note(note, "good", t(done.sent ? "ui.org_imported" : "ui.org_imported_unsent", done));
        file.value = "";
        load(section);
      } catch (error) { if (error.message !== "refused") D.note(note, "warn", error.message); }
    });
    const csv = el("button", { type: "button", class: "secondary", "data-test": "links-csv", text: t("ui.links_csv") });
    csv.addEventListener("click", async function () {
      try {
        await D.api("POST", "api/invites/csv");
        D.note(note, "good", t("ui.links_csv_sent"));
      } catch (error) { if (error.message !== "refused") D.note(note, "warn", error.message); }
    });
    const switcher = el("div", { class: "status-tabs" });
    for (const key of ["all", "missing"]) {
      const button = el("button", { type: "button", "data-view": key, "data-test": "org-view-" + key,
        text: t("ui.org_view_" + key) });
      button.addEventListener("click", function () { view = key; load(section); });
      switcher.appendChild(button);
    }
    // Creating and importing fold away, so on a phone the list comes first.
    section.appendChild(el("details", { class: "card", "data-test": "org-create-panel" }, [
      el("summary", { text: t("ui.org_new") }), create]));
    section.appendChild(el("details", { class: "card", "data-test": "org-import-panel" }, [
      el("summary", { text: t("ui.org_import_title") }), el("p", { class: "hint", text: t("ui.org_import_hint") }),
      el("div", { class: "toolbar" }, [file, importButton]), csv]));
    section.appendChild(note);
    section.appendChild(switcher);
    section.appendChild(el("div", { id: "org-list", "data-test": "org-list" }));
  }

  function linkRow(section, link) {
    const state = link.revoked ? t("ui.link_revoked", { time: link.revoked })
      : link.valid ? t("ui.link_valid") : t("ui.link_invalid");
    const facts = [state, link.uses_left === null ? t("ui.link_uses", { uses: link.uses })
      : t("ui.link_uses_left", { uses: link.uses, left: link.uses_left })];
    if (link.expires) facts.push(t("ui.link_until", { time: link.expires }));
    const row = el("li", { class: "link", "data-test": "invite-link", "data-code": link.code,
      "data-valid": String(link.valid) }, [
      el("code", { class: "url", text: link.url }), el("div", { class: "hint", text: facts.join(" · ") })]);
    const buttons = el("div", { class: "buttons" }, [D.copyButton(link.url)]);
    if (!link.revoked) {
      const revoke = el("button", { type: "button", class: "secondary", "data-test": "revoke-link", text: t("ui.revoke") });
      revoke.addEventListener("click", async function () {
        if (!window.confirm(t("ui.revoke_confirm"))) return;
        try { await D.api("POST", "api/invites/revoke", { code: link.code }); load(section); } catch (error) { D.failed(error); }
      });
      buttons.appendChild(revoke);
    }
    row.appendChild(buttons);
    return row;
  }

  function editForm(section, organisation, card) {
    const form = el("form", { class: "form", "data-test": "org-edit-form" }, [
      field("name", "ui.org_name", { value: organisation.name }), field("kind", "ui.org_kind", { value: organisation.kind || "" }),
      field("contacts", "ui.org_contacts", { value: organisation.contacts || "" }),
      field("places", "ui.org_places", { value: organisation.persons_allowed === null ? "" : String(organisation.persons_allowed), inputmode: "numeric" }),
      el("button", { type: "submit", class: "primary", "data-test": "org-save", text: t("ui.save") }),
    ]);
    const note = el("p", { class: "note", "data-test": "org-edit-note", hidden: "" });
    form.appendChild(note);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      try { await D.api("POST", "api/organisations/" + organisation.id, values(form)); load(section); } catch (error) {
        if (error.message !== "refused") D.note(note, "warn", error.message);
      }
    });
    card.appendChild(form);
  }

  function card(section, organisation) {
    const allowed = organisation.persons_allowed === null ? t("ui.org_no_limit") : String(organisation.persons_allowed);
    const box = el("div", { class: "card organisation", "data-test": "org-card", "data-id": String(organisation.id) }, [
      el("h2", { text: organisation.name }),
      el("div", { class: "hint", text: [organisation.kind, organisation.contacts].filter(Boolean).join(" · ") || t("ui.none") }),
      el("div", { "data-test": "org-places", text: t("ui.org_places_used", { allowed: allowed,
        confirmed: organisation.confirmed_persons, waitlisted: organisation.waitlisted_persons }) }),
      el("div", { "data-test": "org-partners", text: t("ui.org_partners", { partners: organisation.partners,
        registrations: organisation.registrations }) }),
    ]);
    const links = el("ul", { class: "links" });
    for (const link of organisation.links) links.appendChild(linkRow(section, link));
    box.appendChild(links);
    const edit = el("button", { type: "button", class: "secondary", "data-test": "org-edit", text: t("ui.edit") });
    edit.addEventListener("click", function () { edit.disabled = true; editForm(section, organisation, box); });
    const partners = el("button", { type: "button", class: "secondary", "data-test": "org-open", text: t("ui.org_open") });
    partners.addEventListener("click", function () { openOrganisation(organisation.id); });
    box.appendChild(el("div", { class: "buttons" }, [partners, edit]));
    return box;
  }

  function missingList(title, rows, test) {
    const list = el("div", { class: "card", "data-test": test }, [el("h2", { text: title })]);
    if (!rows.length) list.appendChild(el("p", { class: "hint", text: t("ui.none") }));
    for (const row of rows) {
      const line = el("div", { class: "missing", "data-id": String(row.id) }, [
        el("strong", { text: row.name }), el("div", { class: "hint", text: row.contacts || t("ui.none") })]);
      for (const link of row.links) line.appendChild(el("div", { class: "buttons" }, [
        el("code", { class: "url", text: link.url }), D.copyButton(link.url)]));
      if (!row.links.length) line.appendChild(el("div", { class: "hint", text: t("ui.no_valid_link") }));
      list.appendChild(line);
    }
    return list;
  }

  async function load(section) {
    if (!section.firstChild) build(section);
    for (const button of section.querySelectorAll("[data-view]")) {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    }
    const list = section.querySelector("#org-list");
    try {
      if (view === "missing") {
        const data = await D.api("GET", "api/organisations/missing");
        D.clear(list);
        list.appendChild(missingList(t("ui.never_opened"), data.never_opened, "never-opened"));
        list.appendChild(missingList(t("ui.nobody_registered"), data.nobody_registered, "nobody-registered"));
        return;
      }
      const data = await D.api("GET", "api/organisations");
      D.clear(list);
      if (!data.organisations.length) list.appendChild(el("p", { class: "hint", text: t("ui.org_none") }));
      for (const organisation of data.organisations) list.appendChild(card(section, organisation));
    } catch (error) { D.failed(error); }
  }

  async function openOrganisation(id) {
    try {
      const data = await D.api("GET", "api/organisations/" + id);
      const table = el("table", { "data-test": "org-partner-table" }, [el("thead", {}, [el("tr", {}, [
        el("th", { text: t("ui.name") }), el("th", { text: t("ui.status") }),
        el("th", { class: "num", text: t("ui.persons") }), el("th", { text: t("ui.checked_in") })])])]);
      const body = el("tbody");
      for (const partner of data.partners) {
        body.appendChild(el("tr", { "data-test": "org-partner" }, [
          el("td", { text: partner.name + (partner.username ? " (@" + partner.username + ")" : "") }),
          el("td", { text: partner.status_label || t("ui.not_answered") }),
          el("td", { class: "num", text: partner.persons === null ? t("ui.none") : String(partner.persons) }),
          el("td", { text: partner.checked_in ? partner.checked_in + " (" + partner.checked_in_persons + ")" : t("ui.none") })]));
      }
      table.appendChild(body);
      const nodes = [el("p", { class: "hint", text: t("ui.org_places_held", { held: data.persons_held,
        allowed: data.persons_allowed === null ? t("ui.org_no_limit") : data.persons_allowed }) }), table];
      if (!data.partners.length) nodes.push(el("p", { class: "hint", text: t("ui.org_no_partners") }));
      D.showDetails(data.name, nodes);
    } catch (error) { D.failed(error); }
  }

  D.page("organisations", { show: load });
})();
