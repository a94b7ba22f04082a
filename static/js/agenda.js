// Agenda filter: the form works without JavaScript (a GET with ?track=&kind=); with it,
// sessions are shown or hidden at once, and the address keeps the choice for sharing.
(function () {
  "use strict";

  function apply(form) {
    var track = form.elements.track ? form.elements.track.value : "";
    var kind = form.elements.kind ? form.elements.kind.value : "";
    var shown = 0;
    document.querySelectorAll("[data-agenda-day]").forEach(function (day) {
      var visibleInDay = 0;
      day.querySelectorAll("li.session").forEach(function (item) {
        var match = (!track || item.dataset.track === track) && (!kind || item.dataset.kind === kind);
        item.hidden = !match;
        if (match) { visibleInDay += 1; }
      });
      day.hidden = visibleInDay === 0;
      shown += visibleInDay;
    });
    var status = form.querySelector("[data-filter-status]");
    if (status) {
      status.textContent = (form.dataset.countTemplate || "%d").replace("%d", shown);
    }
    var params = new URLSearchParams();
    if (track) { params.set("track", track); }
    if (kind) { params.set("kind", kind); }
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-agenda-filter]");
    if (!form) { return; }
    var submit = form.querySelector("[data-filter-submit]");
    if (submit) { submit.hidden = true; }
    form.addEventListener("change", function () { apply(form); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(form); });
    document.querySelectorAll("[data-agenda-day]").forEach(function (day) {
      day.hidden = day.querySelectorAll("li.session:not([hidden])").length === 0;
    });
  });
})();
