/* The questions inbox (answer, answer again as an addition, save as FAQ) and the learned FAQ
   entries (answers in both languages, wordings, delete). */
"use strict";
(function () {
  const D = window.Dashboard;
  const t = D.t, el = D.el;
  let filter = "";

  // ---------------------------------------------------------------- inbox
  async function loadInbox(section) {
    if (!section.firstChild) {
      const tabs = el("div", { class: "status-tabs", id: "inbox-filter" });
      for (const key of ["", "open", "answered", "undelivered"]) {
        const button = el("button", { type: "button", "data-state": key, "data-test": "inbox-filter-" + (key || "all"),
          text: t(key ? "ui.filter_" + key : "ui.all") });
        button.addEventListener("click", function () { filter = key; loadInbox(section); });
        tabs.appendChild(button);
      }
      section.appendChild(tabs);
      section.appendChild(el("div", { id: "questions", "data-test": "questions" }));
    }
    for (const button of section.querySelectorAll("#inbox-filter button")) {
      button.setAttribute("aria-pressed", String(button.dataset.state === filter));
    }
    try {
      const data = await D.api("GET", "api/questions");
      const list = D.clear(section.querySelector("#questions"));
      const shown = data.questions.filter(function (question) { return !filter || question.state === filter; });
      if (!shown.length) list.appendChild(el("p", { class: "hint", text: t("ui.no_questions") }));
      for (const question of shown) list.appendChild(questionCard(section, question));
    } catch (error) { D.failed(error); }
  }

  function questionCard(section, question) {
    const who = [question.partner, question.organisation, (question.language || "").toUpperCase()].filter(Boolean);
    const box = el("div", { class: "card question", "data-test": "question", "data-id": String(question.id),
      "data-state": question.state }, [
      el("div", { class: "hint", text: who.join(" · ") + " · " + question.asked }),
      el("p", { class: "asked", text: question.question }),
      el("div", { class: "state state-" + question.state, "data-test": "question-state", text: question.state_label +
        (question.answered_by ? " · " + t("ui.answered_by", { by: question.answered_by, time: question.answered }) : "") }),
    ]);
    if (question.answer) box.appendChild(D.formatted(question.answer, { "data-test": "question-answer" }));
    const open = el("button", { type: "button", class: question.state === "answered" ? "secondary" : "primary",
      "data-test": "answer-open", text: t(question.state === "answered" ? "ui.answer_more" : "ui.answer") });
    open.addEventListener("click", function () { open.remove(); answerForm(section, question, box); });
    box.appendChild(open);
    return box;
  }

  function answerForm(section, question, box) {
    const editor = D.editor({ "data-test": "answer-text", "aria-label": t("ui.answer") });
    const send = el("button", { type: "button", class: "primary", "data-test": "answer-send", text: t("ui.send") });
    const note = el("div", { class: "note", "data-test": "answer-note", hidden: "" });
    const form = el("div", { class: "form" }, [editor.node, send, note]);
    async function submit(addition) {
      send.disabled = true;
      try {
        const result = await D.api("POST", "api/questions/" + question.id + "/answer",
          { answer: editor.area.value, addition: addition });
        D.note(note, result.delivery === "delivered" ? "good" : "warn", result.message);
        if (result.savable) note.appendChild(faqButton(question));
        editor.area.disabled = true;
      } catch (error) {
        send.disabled = false;
        if (error.message === "refused") return;
        if (error.status === 409 && error.data.earlier) { conflict(error.data, submit, note); return; }
        D.note(note, "warn", error.message);
      }
    }
    // Always as a first answer: if someone answered meanwhile, the server says so and the
    // page asks (conflict) before anything is sent as an addition.
    send.addEventListener("click", function () { submit(false); });
    box.appendChild(form);
  }

  // Someone answered a moment ago: their answer, and the choice to send this one as an addition.
  function conflict(data, submit, note) {
    D.clear(note);
    D.note(note, "warn", data.error + " " + t("ui.answered_by", { by: data.earlier.by || t("ui.someone"), time: data.earlier.at }));
    const box = el("div", { "data-test": "answer-conflict" }, [D.formatted(data.earlier.answer)]);
    const add = el("button", { type: "button", class: "primary", "data-test": "answer-addition", text: t("ui.send_addition") });
    const skip = el("button", { type: "button", class: "secondary", "data-test": "answer-skip", text: t("ui.dont_send") });
    add.addEventListener("click", function () { box.remove(); submit(true); });
    skip.addEventListener("click", function () { box.remove(); D.note(note, "good", t("ui.not_sent")); });
    box.appendChild(el("div", { class: "buttons" }, [add, skip]));
    note.appendChild(box);
  }

  function faqButton(question) {
    const button = el("button", { type: "button", class: "secondary", "data-test": "faq-save-open", text: t("ui.save_faq") });
    button.addEventListener("click", function () { faqForm(question); });
    return button;
  }

  async function faqForm(question) {
    try {
      const draft = await D.api("GET", "api/questions/" + question.id + "/faq");
      const wording = el("input", { type: "text", "data-test": "faq-wording", "aria-label": t("ui.wording") });
      wording.value = draft.wording;
      const other = D.editor({ "data-test": "faq-other-answer", "aria-label": t("ui.other_answer") });
      const choices = el("div", { class: "choices" });
      const options = [["", t("ui.faq_new_entry")]];
      if (draft.similar) options.push([draft.similar.topic, t("ui.faq_add_to", { title: draft.similar.title })]);
      options.forEach(function (option, index) {
        const radio = el("input", { type: "radio", name: "faq-target", value: option[0], "data-test": "faq-target" });
        radio.checked = index === 0;
        choices.appendChild(el("label", {}, [radio, document.createTextNode(" " + option[1])]));
      });
      const note = el("p", { class: "note", "data-test": "faq-note", hidden: "" });
      const save = el("button", { type: "button", class: "primary", "data-test": "faq-save", text: t("ui.save") });
      save.addEventListener("click", async function () {
        const target = choices.querySelector("input:checked").value;
        try {
          const saved = await D.api("POST", "api/questions/" + question.id + "/faq",
            { wording: wording.value, to: target, other_answer: target ? "" : other.area.value });
          D.note(note, "good", saved.id ? t("ui.faq_saved", { id: saved.id }) : t("ui.faq_added", { title: saved.added_to }));
          save.disabled = true;
        } catch (error) { if (error.message !== "refused") D.note(note, "warn", error.message); }
      });
      D.showDetails(t("ui.save_faq"), [
        el("div", { class: "form", "data-test": "faq-form" }, [
          el("label", { class: "field" }, [el("span", { class: "hint", text: t("ui.wording") }), wording]),
          el("div", { class: "hint", text: t("ui.faq_answer", { language: draft.language.toUpperCase() }) }),
          D.formatted(draft.answer), choices,
          el("div", { class: "hint", text: t("ui.other_answer_in", { language: draft.other_language.toUpperCase() }) }),
          other.node, save, note])]);
    } catch (error) { if (error.message !== "refused") window.alert(error.message); }
  }

  // ---------------------------------------------------------------- learned FAQ entries
  async function loadFaq(section) {
    try {
      const data = await D.api("GET", "api/faq");
      D.clear(section);
      if (!data.entries.length) section.appendChild(el("p", { class: "hint", text: t("ui.faq_none") }));
      for (const entry of data.entries) section.appendChild(entryCard(section, entry));
    } catch (error) { D.failed(error); }
  }

  function entryCard(section, entry) {
    const note = el("p", { class: "note", "data-test": "faq-entry-note", hidden: "" });
    const box = el("div", { class: "card entry", "data-test": "faq-entry", "data-id": String(entry.id) }, [
      el("h2", { text: "#" + entry.id + " " + entry.title }),
      el("div", { class: "hint", "data-test": "faq-figures", text: t("ui.faq_figures", { used: entry.used, unhelpful: entry.unhelpful }) +
        (entry.current ? "" : " · " + t("ui.faq_earlier_event")) }),
    ]);
    const editors = {};
    for (const language of ["de", "en"]) {
      editors[language] = D.editor({ "data-test": "faq-answer-" + language, "aria-label": t("ui.answer_in", { language: language.toUpperCase() }) },
        entry.answers[language] || "");
      box.appendChild(el("div", { class: "hint", text: t("ui.answer_in", { language: language.toUpperCase() }) }));
      box.appendChild(editors[language].node);
    }
    const save = el("button", { type: "button", class: "primary", "data-test": "faq-answers-save", text: t("ui.save") });
    save.addEventListener("click", async function () {
      const answers = {};
      for (const language of ["de", "en"]) if (editors[language].area.value.trim()) answers[language] = editors[language].area.value;
      try { await D.api("POST", "api/faq/" + entry.id, { answers: answers }); D.note(note, "good", t("ui.saved")); } catch (error) {
        if (error.message !== "refused") D.note(note, "warn", error.message);
      }
    });
    box.appendChild(save);
    const wordings = el("ul", { class: "wordings" });
    for (const wording of entry.wordings) {
      const remove = el("button", { type: "button", class: "secondary", "data-test": "wording-remove", "aria-label": t("ui.remove"), text: "✕" });
      remove.addEventListener("click", async function () {
        try { await D.api("POST", "api/faq/" + entry.id + "/wordings/" + wording.id + "/delete"); loadFaq(section); } catch (error) { D.failed(error); }
      });
      wordings.appendChild(el("li", { "data-test": "wording", "data-id": String(wording.id) }, [
        el("span", { text: wording.text + " (" + wording.language.toUpperCase() + ") " }), remove]));
    }
    const text = el("input", { type: "text", "data-test": "wording-text", "aria-label": t("ui.wording"), placeholder: t("ui.wording") });
    const language = el("select", { "data-test": "wording-language", "aria-label": t("ui.language") }, [
      el("option", { value: "de", text: "DE" }), el("option", { value: "en", text: "EN" })]);
    language.value = entry.language;
    const add = el("button", { type: "button", class: "secondary", "data-test": "wording-add", text: t("ui.add") });
    add.addEventListener("click", async function () {
      try { await D.api("POST", "api/faq/" + entry.id + "/wordings", { text: text.value, language: language.value }); loadFaq(section); } catch (error) {
        if (error.message !== "refused") D.note(note, "warn", error.message);
      }
    });
    const remove = el("button", { type: "button", class: "secondary danger", "data-test": "faq-delete", text: t("ui.delete") });
    remove.addEventListener("click", async function () {
      if (!window.confirm(t("ui.faq_delete_confirm"))) return;
      try { await D.api("POST", "api/faq/" + entry.id + "/delete"); loadFaq(section); } catch (error) { D.failed(error); }
    });
    box.appendChild(el("h3", { text: t("ui.wordings") }));
    box.appendChild(wordings);
    box.appendChild(el("div", { class: "toolbar" }, [text, language, add]));
    box.appendChild(el("div", { class: "buttons" }, [remove]));
    box.appendChild(note);
    return box;
  }

  D.page("inbox", { show: loadInbox });
  D.page("faq", { show: loadFaq });
})();
