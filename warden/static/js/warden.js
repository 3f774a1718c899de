// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader and keyboard users hear what went wrong first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
  // After "add another line" (htmx), focus the first field of the new line.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.lastElementChild) { return; }
    var field = target.lastElementChild.querySelector("input, select, textarea");
    if (field) { field.focus(); }
  });
}());
