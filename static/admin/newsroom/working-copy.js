"use strict";
// Never lose a word in the article form. What the person types is kept on the server as their
// working copy a few seconds after they stop, and as they leave the page; opening the form
// again offers it back when it differs from the article. Leaving with changes not saved asks
// first. And a save whose session has ended asks the person to sign in again in a new tab,
// then sends what the form holds with a fresh CSRF token, instead of a refusal that loses it.
// The server's side is articles/admin/working_copies.py; the markup working_copy.html.
(function () {
  const QUIET = 3000; // ms without typing before the working copy is kept
  const CHECK = 5000; // ms between looks at the form: pickers change it without input events
  const POLL = 2000; // ms between asking whether the person has signed in again
  // The form's bookkeeping rather than its content: the page's own values stay.
  const BOOKKEEPING = /^csrfmiddlewaretoken$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|-id$|__prefix__/;
  // Where the body editor holds nothing, it says so with one empty block.
  const EMPTY_EDITOR = /^<(\w+)(\s[^>]*)?><\/\1>$/i;
  const editors = new Map(); // textarea name -> its rich-text editor

  // The editor is built after this script runs, by a module; it announces itself.
  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    editors.set(textarea.name, editor);
    document.dispatchEvent(new CustomEvent("working-copy:editor", { detail: textarea.name }));
  });

  function setUp() {
    const box = document.getElementById("working-copy");
    const form = box && box.closest("form");
    if (!form) return;
    const url = box.dataset.url;
    const sessionUrl = box.dataset.sessionUrl;
    const user = box.dataset.user;
    const offer = box.querySelector(".working-copy-offer");
    const done = box.querySelector(".working-copy-done");
    const status = box.querySelector(".working-copy-status");
    const problem = box.querySelector(".working-copy-problem");
    const dialog = box.querySelector(".working-copy-sign-in");
    const dialogState = dialog.querySelector(".working-copy-sign-in-state");
    const stored = document.getElementById("working-copy-data");
    const storedCopy = stored ? JSON.parse(stored.textContent) : null;
    // A form that came back with errors holds what was sent, not what is saved.
    const cameBack = form.querySelector(".errornote, .errorlist") !== null;

    // The routine "kept" line sits with the Save buttons, where the person looks.
    const submitRow = form.querySelector(".submit-row");
    if (submitRow) {
      submitRow.appendChild(status);
      submitRow.before(problem);
    }

    function fieldValue(name, value) {
      const editor = editors.get(name);
      if (!editor) return value;
      const html = editor.getHTML();
      return EMPTY_EDITOR.test(html) ? "" : html;
    }

    function snapshot() {
      const fields = [];
      for (const [name, value] of new FormData(form)) {
        if (typeof value !== "string" || name === "csrfmiddlewaretoken") continue;
        if (name.includes("__prefix__")) continue;
        fields.push([name, fieldValue(name, value)]);
      }
      // The pickers load their options only when opened: keep the chosen ones' text.
      const labels = {};
      form.querySelectorAll("select.admin-autocomplete[name]").forEach((select) => {
        if (select.name.includes("__prefix__")) return;
        const chosen = {};
        for (const option of select.selectedOptions) {
          if (option.value) chosen[option.value] = option.text;
        }
        if (Object.keys(chosen).length) labels[select.name] = chosen;
      });
      return { fields, labels };
    }

    // What two states of the form are compared by: their content, whatever the order, the
    // empty boxes of an extra inline row, or the version the form was opened on.
    function content(data) {
      return JSON.stringify(
        data.fields
          .filter(([name, value]) => value !== "" && !BOOKKEEPING.test(name)
            && name !== "loaded_version")
          .map(([name, value]) => `${name}=${value}`)
          .sort()
      );
    }

    let opened = content(snapshot()); // the article as saved, as the form shows it
    let lastLook = opened; // the form at the last look, for changes made without events
    // What the server holds as the working copy, as far as this page knows.
    let kept = storedCopy ? content(storedCopy) : opened;
    let changedByPerson = false;
    document.addEventListener("working-copy:editor", () => {
      // The editor writes the body its own way; compare with that, not the stored text.
      if (changedByPerson || cameBack) return;
      opened = lastLook = content(snapshot());
      if (!storedCopy) kept = opened;
      showOffer();
    });
    if (cameBack) opened = null;

    function changedSinceOpened() {
      return opened === null || content(snapshot()) !== opened;
    }

    // The offer of last time's typing.

    function showOffer() {
      if (!offer || !storedCopy || offer.dataset.answered) return;
      offer.hidden = content(storedCopy) === opened || content(storedCopy) === content(snapshot());
    }
    showOffer();

    function chooseOption(select, value, labels) {
      let option = Array.from(select.options).find((candidate) => candidate.value === value);
      if (!option && labels && labels[value] !== undefined) {
        option = new Option(labels[value], value);
        select.add(option);
      }
      return option;
    }

    function restore(data) {
      // As many inline rows as there were, added as the person would, with "Add another".
      for (const [name, value] of data.fields) {
        if (!name.endsWith("-TOTAL_FORMS")) continue;
        const total = form.elements.namedItem(name);
        const prefix = name.slice(0, -"-TOTAL_FORMS".length);
        const add = document.querySelector(`#${CSS.escape(prefix)}-group .add-row a`);
        while (total && add && Number(total.value) < Number(value)) {
          const before = total.value;
          add.click();
          if (total.value === before) break;
        }
      }
      const values = new Map();
      for (const [name, value] of data.fields) {
        if (!values.has(name)) values.set(name, []);
        values.get(name).push(value);
      }
      const labels = data.labels || {};
      const seen = new Map();
      const pickers = new Set();
      for (const element of form.elements) {
        const name = element.name;
        if (!name || BOOKKEEPING.test(name) || element.disabled || element.type === "file") continue;
        if (["submit", "button", "reset"].includes(element.type)) continue;
        const given = values.get(name) || [];
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = given.includes(element.value);
        } else if (element.type === "select-multiple") {
          given.forEach((value) => chooseOption(element, value, labels[name]));
          for (const option of element.options) option.selected = given.includes(option.value);
          pickers.add(element);
        } else if (values.has(name)) {
          const index = seen.get(name) || 0;
          seen.set(name, index + 1);
          const value = given[index];
          if (value === undefined) continue;
          if (element.type === "select-one") {
            // A choice this person may not make (a status) is not offered, and not restored.
            if (value === "" || chooseOption(element, value, labels[name])) element.value = value;
            pickers.add(element);
          } else if (editors.has(name)) {
            editors.get(name).commands.setContent(value, { emitUpdate: true });
          } else {
            element.value = value;
          }
        }
      }
      // The pickers draw themselves from their select's change event, sent through jQuery.
      const jQuery = window.django && window.django.jQuery;
      pickers.forEach((select) => {
        if (jQuery) jQuery(select).trigger("change");
        else select.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    if (offer) {
      offer.addEventListener("click", async (event) => {
        const choice = event.target.dataset && event.target.dataset.workingCopy;
        if (!choice) return;
        offer.dataset.answered = choice;
        offer.hidden = true;
        if (choice === "restore") {
          restore(storedCopy);
          kept = content(storedCopy);
          done.textContent = "Restored what you were typing. It is not saved yet: check it, "
            + "then press Save.";
          const first = form.querySelector("#id_headline");
          if (first) first.focus();
        } else {
          const answer = await send("DELETE");
          done.textContent = answer && answer.ok
            ? "Discarded what you were typing last time."
            : "It could not be discarded now; it is offered again next time.";
        }
      });
    }

    // Keeping the working copy.

    let timer = null;
    let sentFromHere = false;
    let submitting = false;
    let signedOut = false;

    function token() {
      return form.elements.namedItem("csrfmiddlewaretoken").value;
    }

    function setToken(value) {
      // The form's, and the page's other forms' (Log out, Log out everywhere).
      document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => {
        input.value = value;
      });
    }

    function send(method, body, leaving) {
      const options = {
        method,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token(), Accept: "application/json" },
      };
      if (body !== undefined) {
        options.body = body;
        options.headers["Content-Type"] = "application/json";
        // A page being closed may finish a small request after it has gone (64 KB at most).
        options.keepalive = Boolean(leaving) && body.length < 60000;
      }
      return fetch(url, options).catch(() => null);
    }

    async function sessionStatus() {
      try {
        const response = await fetch(sessionUrl, {
          credentials: "same-origin", headers: { Accept: "application/json" },
        });
        return response.ok ? await response.json() : null;
      } catch (error) {
        return null;
      }
    }

    async function keep(leaving, retried) {
      window.clearTimeout(timer);
      if (submitting || signedOut) return;
      const data = snapshot();
      const now = content(data);
      // A form left as it was opened keeps nothing: last time's copy stays to be offered.
      if (now === kept || (now === opened && !sentFromHere)) return;
      const answer = await send("POST", JSON.stringify(data), leaving);
      if (leaving) {
        kept = now; // as far as can be known: the page may be gone before the answer
        sentFromHere = true;
        return;
      }
      if (answer && answer.ok) {
        kept = now;
        sentFromHere = true;
        const answered = await answer.json().catch(() => ({}));
        status.textContent = `Your typing is kept (${answered.kept_at_text}), not saved.`;
        problem.textContent = "";
        return;
      }
      if (answer && answer.status === 400) {
        const message = await answer.json().catch(() => ({}));
        problem.textContent = `Your typing could not be kept: ${message.error || "it was refused."}`;
        return;
      }
      // Signed out, or a stale token: ask whether the session is still there.
      const session = await sessionStatus();
      if (session && session.signed_in && session.user === user) {
        setToken(session.csrf_token);
        if (!retried) keep(false, true);
        return;
      }
      if (session) {
        signedOut = true;
        problem.textContent = "You are signed out, so your latest typing is only in this page. "
          + "Press Save to sign in again and save it.";
        waitForSignIn();
      }
    }

    function scheduleKeep() {
      changedByPerson = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => keep(false), QUIET);
    }

    form.addEventListener("input", scheduleKeep);
    form.addEventListener("change", scheduleKeep);
    window.setInterval(() => {
      const now = content(snapshot());
      if (now !== lastLook) {
        lastLook = now;
        scheduleKeep();
      }
    }, CHECK);
    window.addEventListener("pagehide", () => keep(true));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") keep(true);
    });
    if (cameBack) scheduleKeep(); // what was just sent, and refused, is kept at once

    window.addEventListener("beforeunload", (event) => {
      if (submitting || !changedSinceOpened()) return;
      event.preventDefault();
      event.returnValue = "";
    });

    // Saving: first make sure the session is there, with the token it now needs.

    let polling = null;
    let checking = false;
    let pendingSave = null; // the save waiting for the person to sign in again: its button

    // Ask until the person has signed in again (in another tab), then carry on with what
    // waited: the autosave, the save, or both.
    async function lookForSignIn() {
      const session = await sessionStatus();
      if (!session || !session.signed_in) return;
      if (session.user !== user) {
        dialogState.textContent = `This browser is now signed in as “${session.user}”. `
          + `Sign in as “${user}” to save this story.`;
        return;
      }
      stopWaiting();
      setToken(session.csrf_token);
      if (signedOut) {
        signedOut = false;
        problem.textContent = "";
        if (!pendingSave) keep(false, true);
      }
      if (pendingSave) {
        dialogState.textContent = "Signed in again. Saving your story…";
        submit(pendingSave.submitter);
      }
    }

    function waitForSignIn() {
      if (polling) return;
      polling = window.setInterval(lookForSignIn, POLL);
      window.addEventListener("focus", lookForSignIn);
    }

    function stopWaiting() {
      window.clearInterval(polling);
      polling = null;
      window.removeEventListener("focus", lookForSignIn);
    }

    function submit(submitter) {
      submitting = true;
      window.clearTimeout(timer);
      form.dataset.sessionChecked = "yes";
      if (submitter && submitter.form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    }

    form.addEventListener("submit", async (event) => {
      if (form.dataset.sessionChecked) return; // checked: this is the real submit
      event.preventDefault();
      if (checking || pendingSave) return; // a second press while the first is under way
      checking = true;
      const submitter = event.submitter;
      const session = await sessionStatus();
      checking = false;
      if (!session) {
        submit(submitter); // the server is out of reach: the browser says so, and Back helps
        return;
      }
      if (session.signed_in && session.user === user) {
        setToken(session.csrf_token);
        submit(submitter);
        return;
      }
      dialogState.textContent = session.signed_in
        ? `This browser is signed in as “${session.user}”. Sign in as “${user}” to save this story.`
        : "Waiting for you to sign in…";
      pendingSave = { submitter };
      if (!dialog.open) dialog.showModal();
      waitForSignIn();
    });

    dialog.addEventListener("click", (event) => {
      if (event.target.dataset && event.target.dataset.workingCopy === "cancel") {
        dialog.close();
      }
    });
    dialog.addEventListener("close", () => {
      if (submitting) return;
      pendingSave = null; // cancelled: the text stays in the form, to save later
      if (!signedOut) stopWaiting();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
