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
  // The goods line's "Find a rating" box searches as one types (htmx): Enter searches there too, instead of
  // opening the look-up page in a new tab (what Enter does without JavaScript).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-lookup-box]")) {
      event.preventDefault();
    }
  });
  // "Use" on a look-up result fills that goods line's rating, clears the results and returns focus there.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-use-rating]");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-for"));
    if (!field) { return; }
    field.value = button.getAttribute("data-use-rating");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    var results = button.closest(".lookup-results");
    if (results && results.parentNode) { results.parentNode.textContent = ""; }
    field.focus();
  });
}());
