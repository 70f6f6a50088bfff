/* Fanfold's writing forms, a little kinder with JavaScript (everything works without it).

   1. The error summary ("There is a problem", includes/form_errors.html) takes focus once the
      page loads, where a browser ignored its autofocus; its links move focus to their field.
      A preview (works/_preview.html) takes focus the same way.
   2. A textarea with data-counter-max shows how many characters it holds of how many it may.
      Nothing is cut: the server refuses a text that is too long with a message and keeps it,
      so the counter is a help, the server's message the truth. Characters are counted as the
      server counts them: code points, a line break as one.
*/
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary], [data-focus-on-load]");
    if (!summary) return;
    if (document.activeElement !== summary) summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var target = field.matches("input, select, textarea") ? field : field.querySelector("input, select, textarea");
      (target || field).focus();
      (field.closest(".form-group, div, fieldset") || field).scrollIntoView({block: "start"});
    });
  }

  var format = new Intl.NumberFormat("en");

  function characters(text) {
    var count = 0;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code < 0xdc00 || code > 0xdfff) count++; // a surrogate pair is one character
    }
    return count;
  }

  function counterText(used, limit) {
    if (used > limit) {
      var over = used - limit;
      return format.format(over) + (over === 1 ? " character" : " characters") +
        " too many (" + format.format(used) + " of " + format.format(limit) + ")";
    }
    return format.format(used) + " of " + format.format(limit) + " characters";
  }

  function addCounter(area) {
    var limit = parseInt(area.getAttribute("data-counter-max"), 10);
    if (!limit) return;
    var shown = document.createElement("p");
    shown.className = "char-counter";
    shown.id = area.id + "-counter";
    shown.setAttribute("aria-hidden", "true");
    // Screen readers hear the count when typing pauses, not on every key.
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", spoken);
    area.insertAdjacentElement("afterend", shown);
    var hint = document.createElement("span");
    hint.id = area.id + "-limit";
    hint.className = "visually-hidden";
    hint.textContent = "You can enter up to " + format.format(limit) + " characters.";
    shown.insertAdjacentElement("afterend", hint);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    var pending = false;
    var pause = null;
    function update() {
      pending = false;
      var text = counterText(characters(area.value), limit);
      shown.textContent = text;
      shown.classList.toggle("char-counter-over", characters(area.value) > limit);
      clearTimeout(pause);
      pause = setTimeout(function () { spoken.textContent = text; }, 1000);
    }
    area.addEventListener("input", function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update); // a 500,000-character chapter counts once a frame
      }
    });
    shown.textContent = counterText(characters(area.value), limit);
    shown.classList.toggle("char-counter-over", characters(area.value) > limit);
  }

  function start() {
    focusErrorSummary();
    document.querySelectorAll("textarea[data-counter-max]").forEach(addCounter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
