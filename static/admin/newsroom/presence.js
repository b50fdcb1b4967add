"use strict";
// Who else has this story open. While an article's form is open, its browser tells the server
// every half minute, and shows whom the server names in answer: "Mira has this story open since
// 10:42". The server forgets whoever stops (articles/presence.py); leaving the page says so at once.
(function () {
  const match = location.pathname.match(/^(.*\/)([^/]+)\/change\/$/);
  if (!match) return; // a new story, or no form at all: nobody else can have it open
  const url = `${match[1]}${match[2]}/presence/`;
  let every = 30;
  let notice = null;

  function token() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(others) {
    if (!notice) {
      notice = document.createElement("div");
      notice.className = "presence";
      notice.setAttribute("role", "status");
      const main = document.getElementById("content-main");
      if (!main) return;
      // Above the form, below the History and View on site buttons.
      const form = main.querySelector("form");
      if (form) form.before(notice);
      else main.prepend(notice);
    }
    notice.replaceChildren(
      ...others.map((other) => {
        const line = document.createElement("p");
        line.textContent = other.text;
        return line;
      }),
    );
    notice.hidden = others.length === 0;
  }

  function beat() {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token());
    fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token(), Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        if (!answer) return;
        every = answer.every || every;
        show(answer.others);
      })
      .catch(() => {}) // offline for a moment: the next beat tries again
      .finally(() => setTimeout(beat, every * 1000));
  }

  window.addEventListener("pagehide", () => {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token());
    body.append("left", "1");
    navigator.sendBeacon(url, body);
  });
  // A page restored from the browser's back-forward cache is open again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) beat();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", beat);
  } else {
    beat();
  }
})();
