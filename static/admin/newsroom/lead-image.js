"use strict";
// The lead image field: a dialog to pick an image from the library or upload one, without
// leaving the form. The server renders every piece (articles/admin/lead_image.py); this script
// fetches them, moves focus and keeps the field's value. Without it, the admin's autocomplete
// box underneath does the picking.
(function () {
  function setUp() {
    const field = document.querySelector("[data-lead-image-field]");
    if (!field || typeof HTMLDialogElement !== "function" || !window.fetch) return;
    const select = field.querySelector("select");
    const chosen = field.querySelector("[data-lead-image-chosen]");
    const actions = field.querySelector("[data-lead-image-actions]");
    const openButton = field.querySelector("[data-lead-image-open]");
    const removeButton = field.querySelector("[data-lead-image-remove]");
    if (!select) return;

    // The buttons replace the autocomplete box, which stays in the form to carry the value.
    actions.hidden = false;
    field.querySelector("[data-lead-image-picker]").hidden = true;

    const dialog = document.createElement("dialog");
    dialog.className = "lead-image-dialog";
    dialog.setAttribute("aria-labelledby", "lead-image-dialog-title");
    document.body.appendChild(dialog);

    async function fetchHtml(url, options) {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        ...options,
      });
      if (response.status >= 400) {
        throw new Error(`The server answered ${response.status}.`);
      }
      return { status: response.status, html: await response.text() };
    }

    function showProblem(error) {
      let problem = dialog.querySelector("[data-lead-image-problem]");
      if (!problem) {
        problem = document.createElement("p");
        problem.className = "errornote";
        problem.setAttribute("role", "alert");
        problem.dataset.leadImageProblem = "";
        dialog.querySelector(".lead-image-dialog__header").after(problem);
      }
      problem.textContent = `That did not work: ${error.message} Try again, or close this and use the form.`;
    }

    function currentId() {
      return select.value || "";
    }

    async function openDialog() {
      const url = new URL(field.dataset.dialogUrl, location.href);
      url.searchParams.set("chosen", currentId());
      openButton.disabled = true;
      try {
        const { html } = await fetchHtml(url);
        dialog.innerHTML = html;
        dialog.showModal();
        const search = dialog.querySelector("input[type=search]");
        if (search) search.focus();
      } catch (error) {
        window.alert(`The picture library could not be opened: ${error.message}`);
      } finally {
        openButton.disabled = false;
      }
    }

    function closeDialog() {
      dialog.close();
    }

    dialog.addEventListener("close", () => {
      openButton.focus();
    });

    function setValue(id, label) {
      // The autocomplete box holds only the chosen option; make it hold this one.
      select.querySelectorAll("option").forEach((option) => {
        if (option.value) option.remove();
      });
      if (id) {
        const option = new Option(label, id, true, true);
        select.appendChild(option);
      }
      select.value = id;
      if (window.django && window.django.jQuery) {
        window.django.jQuery(select).trigger("change");
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function showCard(html) {
      chosen.innerHTML = html;
      const card = chosen.querySelector("[data-lead-image-card]");
      removeButton.hidden = !card;
      return card;
    }

    async function pick(id) {
      const url = new URL(field.dataset.cardUrl, location.href);
      url.searchParams.set("id", id);
      try {
        const { html } = await fetchHtml(url);
        const card = showCard(html);
        if (card) setValue(card.dataset.imageId, card.dataset.label);
        closeDialog();
      } catch (error) {
        showProblem(error);
      }
    }

    async function search(query, page) {
      const url = new URL(field.dataset.choicesUrl, location.href);
      url.searchParams.set("q", query);
      url.searchParams.set("chosen", currentId());
      if (page) url.searchParams.set("page", page);
      const results = dialog.querySelector("[data-lead-image-results]");
      try {
        const { html } = await fetchHtml(url);
        if (page) {
          // "Show more": the next images join the list, and focus goes to the first of them.
          const holder = document.createElement("div");
          holder.innerHTML = html;
          const list = results.querySelector("[data-lead-image-choices]");
          const more = holder.querySelectorAll("[data-lead-image-choices] > li");
          more.forEach((item) => list.appendChild(item));
          results.querySelector("[data-more]").remove();
          const nextButton = holder.querySelector("[data-more]");
          if (nextButton) results.appendChild(nextButton);
          const first = more[0] && more[0].querySelector("button");
          if (first) first.focus();
        } else {
          results.innerHTML = html;
        }
      } catch (error) {
        showProblem(error);
      }
    }

    async function upload(form) {
      const submit = form.querySelector("button[type=submit]");
      submit.disabled = true;
      submit.textContent = "Uploading…";
      try {
        const { status, html } = await fetchHtml(form.action, {
          method: "POST",
          body: new FormData(form),
        });
        if (status === 201) {
          const card = showCard(html);
          setValue(card.dataset.imageId, card.dataset.label);
          closeDialog();
          return;
        }
        // The form again, with what to look at: a photo already in the library, an error.
        const holder = document.createElement("div");
        holder.innerHTML = html;
        const newForm = holder.querySelector("form");
        form.replaceWith(newForm);
        const attention = newForm.querySelector(
          "[data-lead-image-duplicates], [data-lead-image-errors], .errorlist + input, .errorlist ~ *"
        );
        (attention || newForm.querySelector("input, textarea, select")).focus();
      } catch (error) {
        submit.disabled = false;
        submit.textContent = "Upload and use this picture";
        showProblem(error);
      }
    }

    let typing = null;
    dialog.addEventListener("input", (event) => {
      if (event.target.type !== "search") return;
      clearTimeout(typing);
      typing = setTimeout(() => search(event.target.value.trim()), 300);
    });
    dialog.addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.target;
      if (form.matches("[data-lead-image-search]")) {
        clearTimeout(typing);
        search(form.elements.q.value.trim());
      } else if (form.matches("[data-lead-image-upload]")) {
        upload(form);
      }
    });
    dialog.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button || !dialog.contains(button)) return;
      if (button.matches("[data-close]")) {
        closeDialog();
      } else if (button.dataset.pick) {
        pick(button.dataset.pick);
      } else if (button.dataset.more) {
        const query = dialog.querySelector("input[type=search]");
        search(query ? query.value.trim() : "", button.dataset.more);
      }
    });
    // A click on the backdrop, outside the dialog's box, closes it as Escape does.
    dialog.addEventListener("mousedown", (event) => {
      if (event.target === dialog) {
        const box = dialog.getBoundingClientRect();
        const inside = event.clientX >= box.left && event.clientX <= box.right
          && event.clientY >= box.top && event.clientY <= box.bottom;
        if (!inside) closeDialog();
      }
    });

    openButton.addEventListener("click", openDialog);
    removeButton.addEventListener("click", () => {
      setValue("", "");
      showCard('<p class="lead-image-card lead-image-card--none">No picture chosen.</p>');
      openButton.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
