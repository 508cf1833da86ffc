// portal.js: progressive enhancement only. Every page works without it.
// Loaded with `defer` from the same origin (the CSP forbids inline scripts).
(function () {
  'use strict';

  // Error summary (templates/form.templ): screen reader and keyboard users
  // start from the list of problems. Its autofocus attribute moves the
  // focus without JavaScript; this covers browsers that honour autofocus
  // only on form controls.
  var summary = document.querySelector('[data-error-summary]');
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }

  // Page rating (templates/components.templ). Without JavaScript the stars
  // are sent alone and the follow-up question comes on the next page. With
  // it, choosing a star reveals the matching follow-up (what was liked for
  // 4–5 stars, what was hard for 1–3) so everything is sent at once; the
  // inputs of the other block are disabled so they are not submitted.
  function syncRating(form) {
    var followup = form.querySelector('[data-js-followup]');
    var checked = form.querySelector('input[name="stars"]:checked');
    if (!followup) {
      return;
    }
    if (!checked) {
      followup.hidden = true;
      return;
    }
    var positive = Number(checked.value) >= 4;
    followup.hidden = false;
    followup.querySelectorAll('[data-js-when]').forEach(function (block) {
      var active = (block.getAttribute('data-js-when') === 'positive') === positive;
      block.hidden = !active;
      block.querySelectorAll('input, textarea, select').forEach(function (input) {
        input.disabled = !active;
      });
    });
  }

  document.querySelectorAll('[data-page-rating]').forEach(function (form) {
    syncRating(form);
    form.addEventListener('change', function (event) {
      if (event.target.name === 'stars') {
        syncRating(form);
      }
    });
  });
})();
