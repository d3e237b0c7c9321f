// The workbench's only script: live regions, list filters, template defaults. No framework.
"use strict";

// <div data-live="/path" data-every="2000">: replaced every few seconds by the server's
// fragment (rendered and escaped by Jinja2 on the server), without reloading the page. When
// the server cannot answer, the region says so (data-stale) instead of silently aging.
function startLive(element) {
  const every = Number(element.dataset.every || 2000);
  let last = null;
  const tick = async () => {
    if (!document.hidden) {
      let fresh = false;
      try {
        const response = await fetch(element.dataset.live, {
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
        const text = response.ok ? await response.text() : null;
        fresh = text !== null;
        // unchanged: leave the DOM alone; focus inside (a reason being typed): next tick
        if (fresh && text !== last && !element.contains(document.activeElement)) {
          last = text;
          const open = Array.from(element.querySelectorAll("details[id]"))
            .filter((d) => d.open).map((d) => d.id);
          element.innerHTML = text;
          open.forEach((id) => { const d = document.getElementById(id); if (d) d.open = true; });
          document.querySelectorAll(`[data-filter="#${element.id}"]`)
            .forEach((input) => input.dispatchEvent(new Event("input")));
        }
      } catch (error) {
        // the server is restarting: try again at the next tick
      }
      element.toggleAttribute("data-stale", !fresh);
    }
    setTimeout(tick, every);
  };
  setTimeout(tick, every);
}

// Lower case, without diacritics: "Ninh Bình" and "ninh binh" match.
function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
}

// <input data-filter="#list">: hides the list's items whose data-name does not match (an item
// stays when one of its descendants matches). The items are looked up at each input: a live
// region refreshed meanwhile is filtered again.
function startFilter(input) {
  const list = document.querySelector(input.dataset.filter);
  input.addEventListener("input", () => {
    const wanted = fold(input.value.trim());
    const items = Array.from(list.querySelectorAll("[data-name]")).reverse();
    for (const item of items) {
      const own = !wanted || fold(item.dataset.name).includes(wanted);
      item.hidden = !(own || item.querySelector("[data-name]:not([hidden])"));
    }
    list.querySelectorAll("details").forEach((d) => { if (wanted) d.open = true; });
  });
}

// The compose form: the chosen template's subject and body as placeholders.
function startTemplates(select) {
  const subject = document.querySelector("[data-subject-input]");
  const body = document.querySelector("[data-body-input]");
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    subject.placeholder = option.dataset.subject;
    body.placeholder = option.dataset.body;
  });
}

// <select data-submit-on-change>: choosing submits its form (the presenter's document).
document.querySelectorAll("[data-submit-on-change]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});

document.querySelectorAll("[data-live]").forEach(startLive);
document.querySelectorAll("[data-filter]").forEach(startFilter);
document.querySelectorAll("[data-template-select]").forEach(startTemplates);
