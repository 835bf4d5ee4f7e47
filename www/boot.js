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

  // Hosts that cannot send the isolation headers (GitHub Pages among them)
  // get them from isolate-sw.js, a service worker that adds them to every
  // response; a page is isolated or not from the moment it loads, so the
  // page reloads once when the worker is ready. The flag in sessionStorage
  // makes that one reload at most: a second failure explains instead.
  var RELOADED = 'overlap-isolation-reload';
  function notIsolated(why) {
    say('This page is not cross-origin isolated', [
      'Overlap runs CPU tasks on Web Workers that share the page\u2019s WebAssembly memory. ' +
        'Browsers allow that shared memory (SharedArrayBuffer: ' +
        (typeof SharedArrayBuffer === 'undefined' ? 'missing here' : 'present') +
        ') only on pages served with two HTTP headers on every response:',
      'Cross-Origin-Opener-Policy: same-origin',
      'Cross-Origin-Embedder-Policy: require-corp',
      why,
      'Serve Overlap with \u201cmake serve\u201d, which sends both, or configure your web server ' +
        'to send them (the _headers file beside this page lists them), then reload this page.'
    ], 'not-isolated');
  }

  if (!window.crossOriginIsolated) {
    var reloaded = false;
    try {
      reloaded = window.sessionStorage.getItem(RELOADED) === '1';
    } catch (e) {
      reloaded = true; // no storage: no way to stop a reload loop, so do not start one
    }
    if (!window.isSecureContext || !('serviceWorker' in navigator)) {
      notIsolated('A service worker could add them on this host, but this browser offers none here (' +
        (window.isSecureContext ? 'service workers are blocked or unsupported' : 'the page is not served over HTTPS') + ').');
      return;
    }
    if (reloaded) {
      notIsolated('A service worker was installed to add them and the page reloaded once, yet it is ' +
        'still not isolated (a private window or a browser setting may keep service workers out).');
      return;
    }
    say('Preparing the page', [
      'This host does not send the headers that shared memory needs, so a service worker adds ' +
        'them. The page reloads once, in a moment.'
    ], 'isolating');
    var reload = function () {
      try {
        window.sessionStorage.setItem(RELOADED, '1');
      } catch (e) { /* checked above */ }
      window.location.reload();
    };
    var blocked = function () {
      notIsolated('A service worker could add them on this host, but the browser did not let it ' +
        'start (service workers are blocked here).');
    };
    // A registration that never settles must not leave the page waiting.
    var stalled = setTimeout(blocked, 15000);
    navigator.serviceWorker.register('isolate-sw.js').then(function (registration) {
      var worker = registration && (registration.installing || registration.waiting);
      if (registration && registration.active) {
        reload();
      } else if (worker) {
        worker.addEventListener('statechange', function () {
          if (worker.state === 'activated') reload();
        });
      } else {
        clearTimeout(stalled);
        blocked();
      }
    }, function (error) {
      clearTimeout(stalled);
      notIsolated('The service worker that adds them could not be installed: ' +
        (error && error.message ? error.message : String(error)) + '.');
    });
    return;
  }
  try {
    window.sessionStorage.removeItem(RELOADED);
  } catch (e) { /* nothing to clear */ }

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
