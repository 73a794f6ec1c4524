/**
 * The console's only script (progressive enhancement: every page works without it). It asks before
 * destructive actions and shows the live length of a post being edited, measured by the server with the
 * same validator as publishing.
 */
export const CONSOLE_JS = `
(function () {
  'use strict';
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) e.preventDefault();
  });
  var editor = document.querySelector('textarea[data-measure]');
  if (!editor || !window.fetch) return;
  var out = document.getElementById(editor.getAttribute('aria-describedby').split(' ')[0]);
  var form = editor.form;
  var token = form.querySelector('input[name=_csrf]').value;
  var timer = null;
  function measure() {
    var body = new URLSearchParams();
    body.set('text', editor.value);
    body.set('_csrf', token);
    fetch(editor.getAttribute('data-measure'), {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'Accept': 'application/json' }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (m) {
      if (!m || !out) return;
      out.textContent = m.summary;
      out.className = m.ok ? 'count' : 'count count-over';
    }).catch(function () {});
  }
  editor.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(measure, 250);
  });
})();
`;
