"use strict";
// The admin's autocomplete boxes and the body editor are drawn by scripts that do not name
// their inputs; screen readers would announce a nameless box. Name each after its field's label.
(function () {
  function labelFor(id) {
    const label = id && document.querySelector(`label[for="${id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameWidgets() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach((select) => {
      const name = labelFor(select.id) || select.getAttribute("aria-label");
      const container = select.nextElementSibling;
      if (!name || !container || !container.classList.contains("select2")) return;
      // select2 names its box after the chosen value alone, which is empty until one is chosen.
      container.querySelectorAll(".select2-selection").forEach((box) => {
        box.removeAttribute("aria-labelledby");
      });
      container
        .querySelectorAll(".select2-selection, .select2-selection__rendered, .select2-search__field")
        .forEach((box) => box.setAttribute("aria-label", name));
    });
    document.querySelectorAll(".prose-editor").forEach((editor) => {
      const textarea = editor.querySelector("textarea[id]");
      const editable = editor.querySelector("[contenteditable]");
      const name = textarea && labelFor(textarea.id);
      if (editable && name) editable.setAttribute("aria-label", name);
    });
  }

  let scheduled = false;
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      nameWidgets();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameWidgets);
})();
