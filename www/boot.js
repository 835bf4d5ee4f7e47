// Runs before the WebAssembly starts, in plain JavaScript, so that a page that
// cannot run Overlap still explains why instead of staying blank.
(function () {
  'use strict';
  var boot = document.getElementById('boot');
  var message = document.getElementById('boot-message');

  function mounted() {
    return !document.getElementById('boot');
  }

  function say(title, paragraphs, testid) {
    if (mounted()) return;
    message.textContent = '';
    var heading = document.createElement('h2');
    heading.textContent = title;
    message.appendChild(heading);
    paragraphs.forEach(function (text) {
      var p = document.createElement('p');
      p.textContent = text;
      message.appendChild(p);
    });
    boot.setAttribute('role', 'alert');
    boot.setAttribute('data-state', testid);
    message.setAttribute('data-testid', testid);
  }

  if (!window.crossOriginIsolated) {
    say('This page is not cross-origin isolated', [
      'Overlap runs CPU tasks on Web Workers that share the page\u2019s WebAssembly memory. ' +
        'Browsers allow that shared memory (SharedArrayBuffer: ' +
        (typeof SharedArrayBuffer === 'undefined' ? 'missing here' : 'present') +
        ') only on pages served with two HTTP headers on every response:',
      'Cross-Origin-Opener-Policy: same-origin',
      'Cross-Origin-Embedder-Policy: require-corp',
      'Serve Overlap with \u201cmake serve\u201d, which sends both, or configure your web server ' +
        'to send them, then reload this page.'
    ], 'not-isolated');
    return;
  }

  function failed(reason) {
    say('Overlap could not start', [
      'The WebAssembly module failed to load: ' + reason,
      'Reload the page to try again. If it keeps failing, this browser may lack WebAssembly ' +
        'threads (a recent Chrome, Edge or Firefox has them).'
    ], 'boot-failed');
  }
  // Capture phase: a <script> that fails to load fires a non-bubbling error
  // on its element, which only a capturing listener on window sees.
  window.addEventListener('error', function (event) {
    var target = event.target;
    if (target && target !== window && target.tagName) {
      if (target.tagName === 'SCRIPT' || target.rel === 'modulepreload') {
        failed('could not load ' + (target.src || target.href));
      }
      return;
    }
    failed(event.message || 'unknown error');
  }, true);
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    failed(reason && reason.message ? reason.message : String(reason));
  });
  // Nothing failed loudly but nothing mounted either: say so rather than
  // leave a loading message up forever.
  setTimeout(function () {
    if (!mounted() && !boot.hasAttribute('data-state')) {
      failed('it is still not running after 20 seconds (a slow network, or a blocked script)');
    }
  }, 20000);
})();
