// statecraft workbench: live recomputation. The page works without this script (every edit is
// a form field and Recompute posts the form); with it, each change posts the form at once and
// the answer comes back in place. Nothing here talks to any address but the page's own.
"use strict";
(function () {
  let timer = null;
  let sent = 0;
  function openTables() {
    return Array.from(document.querySelectorAll("details[open]")).map((d) => d.id);
  }
  async function recompute() {
    const form = document.getElementById("edit");
    if (!form) return;
    const body = new URLSearchParams(new FormData(form));
    body.set("action", "recompute");
    const mine = ++sent;
    const focused = document.activeElement && document.activeElement.id;
    const open = openTables();
    document.body.setAttribute("aria-busy", "true");
    try {
      // The form has controls named "action", which shadow form.action: read the attribute.
      const response = await fetch(form.getAttribute("action"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      const text = await response.text();
      if (mine !== sent) return; // a later change is on its way
      const page = new DOMParser().parseFromString(text, "text/html");
      const main = page.querySelector("main");
      if (!main) return;
      document.querySelector("main").replaceWith(main);
      for (const id of open) {
        const d = document.getElementById(id);
        if (d) d.open = true;
      }
      if (focused) {
        const el = document.getElementById(focused);
        if (el) el.focus();
      }
    } finally {
      if (mine === sent) document.body.removeAttribute("aria-busy");
    }
  }
  document.addEventListener("change", (event) => {
    const t = event.target;
    if (!t.form || t.form.id !== "edit" || !/^c\d+$/.test(t.name)) return;
    clearTimeout(timer);
    timer = setTimeout(recompute, 100);
  });
})();
