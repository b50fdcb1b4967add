"use strict";
// The focal point: a click on the preview fills in the two boxes below it and shows a marker.
// The boxes work on their own, by keyboard or without this script.
(function () {
  function setUp() {
    const preview = document.querySelector("[data-focal-point-preview]");
    const across = document.getElementById("id_focal_x");
    const down = document.getElementById("id_focal_y");
    if (!preview || !across || !down) return;

    const frame = document.createElement("span");
    frame.className = "focal-point-frame";
    preview.parentNode.insertBefore(frame, preview);
    frame.appendChild(preview);
    const marker = document.createElement("span");
    marker.className = "focal-point-marker";
    marker.setAttribute("aria-hidden", "true");
    frame.appendChild(marker);
    preview.title = "Click the subject of the picture to set the focal point";

    function clamp(value) {
      const number = Number.parseFloat(value);
      return Number.isFinite(number) ? Math.min(Math.max(number, 0), 1) : 0.5;
    }

    function showMarker() {
      marker.style.left = `${clamp(across.value) * 100}%`;
      marker.style.top = `${clamp(down.value) * 100}%`;
    }

    preview.addEventListener("click", (event) => {
      const box = preview.getBoundingClientRect();
      across.value = clamp((event.clientX - box.left) / box.width).toFixed(2);
      down.value = clamp((event.clientY - box.top) / box.height).toFixed(2);
      showMarker();
    });
    across.addEventListener("input", showMarker);
    down.addEventListener("input", showMarker);
    showMarker();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
