"use strict";
// The article form's preview (articles/admin/preview.py): the story as readers would get it,
// drawn from what the form holds now, beside the form on a wide screen and behind a button on a
// narrow one. A pause in typing posts the whole form, CSRF token included, to the preview's own
// address with the frame as its target: the frame shows the server's page, with the page's own
// headers, and the article is not saved.
(function () {
  const WIDTHS = [
    { name: "phone", label: "Phone", pixels: 390 },
    { name: "tablet", label: "Tablet", pixels: 768 },
    { name: "desktop", label: "Desktop", pixels: 1280 },
  ];
  const PAUSE = 800; // milliseconds without a change before the preview follows
  const WIDE = window.matchMedia("(min-width: 1100px)");
  const FRAME_NAME = "article-preview-frame"; // and a number: each preview has a frame of its own

  // The change page's address ends in change/, the add page's in add/; the preview's in
  // preview/ beside them (ArticleAdmin.get_urls).
  function previewAddress() {
    const path = window.location.pathname;
    if (/\/\d+\/change\/$/.test(path)) return path.replace(/change\/$/, "preview/");
    if (/\/add\/$/.test(path)) return path.replace(/add\/$/, "preview/");
    return null;
  }

  function element(tag, attributes, text) {
    const made = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => made.setAttribute(name, value));
    if (text) made.textContent = text;
    return made;
  }

  function start() {
    const form = document.getElementById("article_form");
    const address = previewAddress();
    // A story the person may only read has no headline box: nothing they type to follow, and
    // the server would refuse its preview.
    if (!form || !address || !form.querySelector("[name=headline]")) return;

    const toggle = element("button", {
      type: "button", class: "article-preview-toggle", "aria-controls": "article-preview",
      "aria-expanded": "false",
    });
    const panel = element("section", {
      id: "article-preview", class: "article-preview", "aria-labelledby": "article-preview-heading",
    });
    const heading = element("h2", { id: "article-preview-heading" }, "Preview");
    const note = element("p", { class: "article-preview-note" },
      "Follows the form as you type. Nothing is saved until you save.");
    const widths = element("div", {
      class: "article-preview-widths", role: "group", "aria-label": "Preview width",
    });
    const viewport = element("div", { class: "article-preview-viewport" });
    let frames = 0;
    let frame = newFrame();
    const buttons = WIDTHS.map((width) => {
      const button = element("button", {
        type: "button", "data-width": width.name, "aria-pressed": "false",
      }, width.label);
      button.addEventListener("click", () => choose(width));
      widths.append(button);
      return button;
    });
    panel.append(heading, note, widths, viewport);
    form.prepend(toggle, panel);

    // A phone's width fits the panel unshrunk, so its text can be read; wider ones are shrunk.
    let chosen = WIDTHS[0];
    let open = false;
    let timer = null;
    let stale = true;

    // Each preview is drawn in a frame of its own, shown in place of the last once it has
    // loaded: the panel never goes blank, the reader's place in the story is kept, and the
    // browser's Back button is left alone (a frame's first page replaces its empty one in the
    // history, where a second page would be added to it).
    function newFrame() {
      frames += 1;
      // No script, form, pop-up or navigation of the admin runs from the frame. It keeps its
      // own origin: Chromium moves the focus into a frame of no origin each time a form is sent
      // to it, which would take it from the box the editor is typing in.
      const made = element("iframe", {
        name: `${FRAME_NAME}-${frames}`, title: "Preview of the story as readers would see it",
        sandbox: "allow-same-origin", class: "article-preview-frame",
      });
      viewport.append(made);
      return made;
    }

    function fit() {
      // The frame is as wide as the device, shrunk to fit the panel when the device is wider.
      const room = viewport.clientWidth;
      const scale = Math.min(1, room / chosen.pixels);
      viewport.querySelectorAll("iframe").forEach((each) => {
        each.style.width = `${chosen.pixels}px`;
        each.style.height = `${viewport.clientHeight / scale}px`;
        each.style.transform = scale < 1 ? `scale(${scale})` : "";
        each.style.marginLeft = scale < 1 ? "0" : `${Math.max(0, (room - chosen.pixels) / 2)}px`;
      });
    }

    function replaceFrame(next) {
      try {
        next.contentWindow.scrollTo(0, frame.contentWindow.scrollY);
      } catch (error) {
        // The last frame held no page of the site (nothing loaded yet): start at the top.
      }
      frame.remove();
      frame = next;
      frame.removeAttribute("data-loading");
    }

    function choose(width) {
      chosen = width;
      buttons.forEach((button) => {
        button.setAttribute("aria-pressed", String(button.dataset.width === width.name));
      });
      panel.dataset.width = width.name;
      fit();
    }

    function show(shown) {
      open = shown;
      panel.hidden = !shown;
      toggle.setAttribute("aria-expanded", String(shown));
      toggle.textContent = shown ? "Hide preview" : "Show preview";
      form.classList.toggle("with-article-preview", shown);
      if (shown) {
        fit();
        if (stale) follow();
      }
    }

    function follow() {
      clearTimeout(timer);
      timer = null;
      if (!open) {
        stale = true;
        return;
      }
      stale = false;
      // A preview still loading is overtaken by this one.
      viewport.querySelectorAll("iframe[data-loading]").forEach((each) => {
        if (each !== frame) each.remove();
      });
      const next = frame.dataset.shown ? newFrame() : frame;
      next.setAttribute("data-loading", "");
      next.addEventListener("load", () => {
        next.dataset.shown = "true";
        if (next !== frame) replaceFrame(next); else next.removeAttribute("data-loading");
      }, { once: true });
      fit();
      // Post the form itself, as it stands, to the preview in the new frame, then put the form
      // back as it was. submit() sends no submit event: nothing that watches the form for a save
      // sees one, and the page itself stays where it is.
      const action = form.getAttribute("action");
      const target = form.getAttribute("target");
      form.setAttribute("action", address);
      form.setAttribute("target", next.name);
      try {
        HTMLFormElement.prototype.submit.call(form);
      } finally {
        if (action === null) form.removeAttribute("action"); else form.setAttribute("action", action);
        if (target === null) form.removeAttribute("target"); else form.setAttribute("target", target);
      }
    }

    function changed(event) {
      if (panel.contains(event.target)) return;
      clearTimeout(timer);
      timer = setTimeout(follow, PAUSE);
    }

    toggle.addEventListener("click", () => show(!open));
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // The autocomplete boxes (select2) announce a choice through jQuery alone.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", changed);
    window.addEventListener("resize", fit);
    WIDE.addEventListener("change", () => {
      if (WIDE.matches && !open) show(true);
    });
    choose(chosen);
    show(WIDE.matches);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
