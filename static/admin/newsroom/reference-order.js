"use strict";
// References in order without typing positions: each has "Move up" and "Move down" buttons, and
// the hidden position boxes follow the order on the page when it changes and when the form is
// sent. Without this script the position boxes show, to be typed in; the server checks them
// either way.
(function () {
  function setUp() {
    const group = document.getElementById("references-group");
    if (!group) return;
    const form = group.closest("form");
    const status = document.createElement("p");
    status.className = "reference-order-status";
    status.setAttribute("role", "status");
    group.querySelector("fieldset").appendChild(status);

    function rows() {
      return Array.from(group.querySelectorAll(".inline-related:not(.empty-form)"));
    }

    function input(row, name) {
      return row.querySelector(`[name$="-${name}"]`);
    }

    function titleOf(row) {
      const title = input(row, "title");
      return (title && title.value.trim()) || "this reference";
    }

    function isBlankNew(row) {
      // An extra form nobody typed in is left alone: given a position, it would be "changed"
      // and the server would ask for its title.
      const id = input(row, "id");
      const title = input(row, "title");
      return !(id && id.value) && !(title && title.value.trim());
    }

    function number() {
      rows().forEach((row, index) => {
        const position = input(row, "position");
        if (position && !isBlankNew(row) && position.value !== String(index)) {
          position.value = String(index);
        }
      });
    }

    function hasId(row) {
      const id = input(row, "id");
      return Boolean(id && id.value);
    }

    function indexForSending() {
      // A row's number in its field names says nothing of its order, but the server takes the
      // first numbers for the saved references: keep those first, whatever the order shown.
      const all = rows();
      const ordered = [...all.filter(hasId), ...all.filter((row) => !hasId(row))];
      ordered.forEach((row, index) => {
        row.querySelectorAll("[name], [id], label[for]").forEach((element) => {
          for (const attribute of ["name", "id", "for"]) {
            const value = element.getAttribute(attribute);
            if (value) {
              element.setAttribute(
                attribute, value.replace(/^(id_)?references-\d+-/, `$1references-${index}-`)
              );
            }
          }
        });
      });
    }

    function refreshButtons() {
      const all = rows();
      all.forEach((row, index) => {
        const up = row.querySelector("[data-move=up]");
        const down = row.querySelector("[data-move=down]");
        if (!up) return;
        up.disabled = index === 0;
        down.disabled = index === all.length - 1;
        const place = `reference ${index + 1} of ${all.length}`;
        up.setAttribute("aria-label", `Move ${place} up`);
        down.setAttribute("aria-label", `Move ${place} down`);
      });
    }

    function move(row, direction) {
      const all = rows();
      const index = all.indexOf(row);
      const other = all[index + direction];
      if (!other) return;
      if (direction < 0) other.before(row);
      else other.after(row);
      number();
      refreshButtons();
      const now = rows().indexOf(row);
      status.textContent = `Moved “${titleOf(row)}” to place ${now + 1} of ${rows().length}.`;
      const button = row.querySelector(direction < 0 ? "[data-move=up]" : "[data-move=down]");
      (button.disabled ? row.querySelector("[data-move]:not(:disabled)") : button).focus();
    }

    function enhance(row) {
      const position = input(row, "position");
      // A story shown read-only has nothing to move.
      if (!position || row.querySelector(".reference-order")) return;
      // The box, with its label and its help ("Lower numbers come first"), goes out of sight.
      const box = position && position.closest(".fieldBox");
      const hidden = box && box.parentElement.closest(".form-multiline") ? box.parentElement : box;
      if (hidden) hidden.hidden = true;
      const controls = document.createElement("div");
      controls.className = "reference-order";
      for (const [direction, text] of [["up", "Move up"], ["down", "Move down"]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.dataset.move = direction;
        button.textContent = text;
        button.addEventListener("click", () => move(row, direction === "up" ? -1 : 1));
        controls.appendChild(button);
      }
      row.querySelector("h3").after(controls);
    }

    rows().forEach(enhance);
    refreshButtons();
    document.addEventListener("formset:added", (event) => {
      if (event.detail && event.detail.formsetName !== "references") return;
      if (!group.contains(event.target)) return;
      enhance(event.target);
      refreshButtons();
    });
    document.addEventListener("formset:removed", refreshButtons);
    if (form) {
      form.addEventListener("submit", () => {
        number();
        indexForSending();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
