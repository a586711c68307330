// Confirmation before an irreversible step: a form with data-confirm="…" asks before it is sent.
// (A file, not an inline script: the CSP allows scripts from the app only.)
document.addEventListener(
  "submit",
  function (event) {
    var form = event.target;
    var message = form && form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
