/* Formatted text as Telegram shows it, the small formatting toolbar, copying to the clipboard.
   The server turns Telegram's HTML into text and entities (offsets in UTF-16 code units, which
   is what JavaScript strings count), and this file builds the preview from those with DOM
   nodes and textContent, never from HTML. */
"use strict";
(function () {
  const D = window.Dashboard;
  const TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code",
    pre: "pre", blockquote: "blockquote", spoiler: "span", text_link: "a" };

  // A node tree for text[start, end) with the entities inside it.
  function build(text, entities, start, end) {
    const fragment = document.createDocumentFragment();
    let at = start;
    let index = 0;
    while (index < entities.length) {
      const entity = entities[index];
      const stop = entity.offset + entity.length;
      if (entity.offset > at) fragment.appendChild(document.createTextNode(text.slice(at, entity.offset)));
      const inner = [];
      index += 1;
      while (index < entities.length && entities[index].offset < stop) { inner.push(entities[index]); index += 1; }
      const node = document.createElement(TAGS[entity.type] || "span");
      if (entity.type === "spoiler") node.className = "spoiler";
      if (entity.type === "text_link" && /^(https?|tg):\/\//i.test(entity.url || "")) {
        node.href = entity.url;
        node.target = "_blank";
        node.rel = "noopener noreferrer";
      }
      node.appendChild(build(text, inner, entity.offset, stop));
      fragment.appendChild(node);
      at = Math.max(at, stop);
    }
    if (at < end) fragment.appendChild(document.createTextNode(text.slice(at, end)));
    return fragment;
  }
  function formatted(message, attributes) {
    const box = D.el("div", Object.assign({ class: "bubble" }, attributes || {}));
    if (!message) return box;
    const entities = (message.entities || []).slice().sort(function (a, b) {
      return a.offset - b.offset || b.length - a.length;
    });
    box.appendChild(build(message.text, entities, 0, message.text.length));
    return box;
  }

  // Buttons that wrap the selected text of a textarea in a tag; the link takes the address
  // from the field beside it.
  function editor(attributes, value) {
    const area = D.el("textarea", Object.assign({ rows: "5" }, attributes));
    area.value = value || "";
    const address = D.el("input", { type: "url", placeholder: "https://…", class: "link-address",
      "aria-label": D.t("ui.link_address"), "data-test": (attributes["data-test"] || "editor") + "-link" });
    function wrap(open, close) {
      const from = area.selectionStart, to = area.selectionEnd;
      area.value = area.value.slice(0, from) + open + area.value.slice(from, to) + close + area.value.slice(to);
      area.focus();
      area.setSelectionRange(from + open.length, to + open.length);
      area.dispatchEvent(new Event("input"));
    }
    const bar = D.el("div", { class: "format-bar" });
    for (const [label, tag, key] of [["B", "b", "ui.bold"], ["I", "i", "ui.italic"], ["U", "u", "ui.underline"],
      ["S", "s", "ui.strike"], ["</>", "code", "ui.code"]]) {
      const button = D.el("button", { type: "button", class: "secondary", "data-format": tag, title: D.t(key),
        "aria-label": D.t(key), text: label });
      button.addEventListener("click", function () { wrap("<" + tag + ">", "</" + tag + ">"); });
      bar.appendChild(button);
    }
    const link = D.el("button", { type: "button", class: "secondary", "data-format": "a", text: D.t("ui.link_short"),
      title: D.t("ui.link"), "aria-label": D.t("ui.link") });
    link.addEventListener("click", function () {
      const url = address.value.trim().replace(/"/g, "%22");
      if (!/^(https?|tg):\/\//i.test(url)) { address.focus(); return; }
      wrap('<a href="' + url.replace(/&/g, "&amp;") + '">', "</a>");
    });
    bar.appendChild(address);
    bar.appendChild(link);
    return { area: area, node: D.el("div", { class: "editor" }, [bar, area]) };
  }

  async function copy(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) { // older web views: select and copy
      const field = D.el("textarea", { class: "offscreen" });
      field.value = text;
      document.body.appendChild(field);
      field.select();
      document.execCommand("copy");
      field.remove();
    }
    const label = button.textContent;
    button.textContent = D.t("ui.copied");
    setTimeout(function () { button.textContent = label; }, 1500);
  }
  function copyButton(text, test) {
    const button = D.el("button", { type: "button", class: "secondary", "data-test": test || "copy-link",
      text: D.t("ui.copy") });
    button.addEventListener("click", function () { copy(text, button); });
    return button;
  }

  // A fresh key for one send: the server sends once per key, however often it is clicked.
  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (byte) { return byte.toString(16).padStart(2, "0"); }).join("");
  }

  D.formatted = formatted;
  D.editor = editor;
  D.copyButton = copyButton;
  D.newKey = newKey;
})();
