// booking.js: progressive enhancement of the booking pages
// (templates/booking.templ). Everything works without it.
(function () {
  'use strict';

  // Move focus to the error summary, so that screen reader and keyboard
  // users start from the list of problems (it is also role="alert").
  var summary = document.querySelector('[data-error-summary]');
  if (summary) {
    summary.focus();
  }

  // "Stampa questa pagina": the button is hidden without JavaScript, where
  // the page points to the browser's own Print command instead.
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  });
})();
