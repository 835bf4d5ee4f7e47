// Runs before the WebAssembly starts, in plain JavaScript, so that a page that
// cannot run Overlap still explains why instead of staying blank.
(function () {
  'use strict';

  // The theme: the system's unless the visitor chose one, remembered in
  // this browser. Applied first, so that the page is drawn in it at once.
  var THEME = 'overlap-theme';
  var themes = { light: 1, dark: 1 };
  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function applyTheme(theme) {
    if (themes[theme]) document.documentElement.setAttribute('data-theme', theme);
    else document.documentElement.removeAttribute('data-theme');
  }
  applyTheme(stored(THEME));
  var themeSwitch = document.getElementById('theme');
  if (themeSwitch) {
    themeSwitch.value = themes[stored(THEME)] ? stored(THEME) : 'system';
    themeSwitch.addEventListener('change', function () {
      applyTheme(themeSwitch.value);
      try {
        if (themes[themeSwitch.value]) window.localStorage.setItem(THEME, themeSwitch.value);
        else window.localStorage.removeItem(THEME);
      } catch (e) { /* storage refused: the choice lasts this page */ }
    });
  }
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

  // The page has two builds (scripts/fallback.mjs names their files on this
  // script's tag): the threaded one needs a cross-origin isolated page,
  // which is what gives it SharedArrayBuffer; the single-thread fallback
  // runs anywhere, with the process-style pool for parallel CPU work.
  var builds = (document.currentScript && document.currentScript.dataset) || {};
  var started = false;
  function start(build, reason) {
    if (started) return;
    started = true;
    var js = build === 'threaded' ? builds.threadedJs : builds.fallbackJs;
    var wasm = build === 'threaded' ? builds.threadedWasm : builds.fallbackWasm;
    if (!js || !wasm) {
      failed('this page does not name its ' + build + ' build (it was not built with make build)');
      return;
    }
    if (build === 'fallback') {
      window.overlapFallbackReason = reason;
      say('Loading the single-thread build', [reason], 'loading-fallback');
    }
    // Nothing failed loudly but nothing mounted either: say so rather than
    // leave a loading message up forever.
    setTimeout(function () {
      if (!mounted() && boot.getAttribute('data-state') !== 'boot-failed') {
        failed('it is still not running after 20 seconds (a slow network, or a blocked script)');
      }
    }, 20000);
    // The module and its glue download side by side.
    instantiate(js, fetch(wasm)).catch(function (error) {
      failed(error && error.message ? error.message : String(error));
    });
    if (build === 'threaded') window.overlapRestart = restart(js);
  }

  // The automation hook (README, "The automation hook"): runExperiment, and
  // injectFault only on a page opened with debug=faults. Read once, here:
  // the page rewrites its address to the experiment's.
  var faults = /(?:^|[?&;])debug=faults(?:[&;]|$)/.test(window.location.search);
  var current = null;
  function instantiate(js, module) {
    return import(js).then(function (glue) {
      return glue.default({ module_or_path: module }).then(function () {
        current = glue;
        var hook = { runExperiment: glue.runExperiment };
        if (faults) hook.injectFault = glue.injectFault;
        window.wasmBindings = Object.freeze(hook);
      });
    });
  }

  // A pool worker died: the global rayon pool of an instance cannot be
  // rebuilt, and the dead worker may have left the shared memory
  // inconsistent, so the page starts a fresh instance of the module over
  // fresh memory (which builds a whole pool), once the run that saw the
  // death has answered its caller. The experiment and the editor's draft
  // are in the address, the history in localStorage; the cause and when the
  // rebuild began go to the new instance in window.overlapRecovery. A fresh
  // URL for the glue gives a fresh instance of its module (an imported
  // module is evaluated once per URL).
  function restart(js) {
    var generation = 0;
    return function (cause) {
      var glue = current;
      if (!glue) return;
      current = null;
      var began = performance.now();
      setTimeout(function () {
        var module;
        try {
          module = glue.shutdown();
        } catch (error) {
          module = undefined; // compiled again from the file below
        }
        var app = document.getElementById('app');
        if (app) app.textContent = '';
        var before = window.overlapRecovery;
        window.overlapRecovery = {
          cause: String(cause),
          beganMs: began,
          count: (before && before.count ? before.count : 0) + 1
        };
        generation += 1;
        var url = js + (js.indexOf('?') < 0 ? '?' : '&') + 'instance=' + generation;
        instantiate(url, module || fetch(builds.threadedWasm)).catch(function (error) {
          restartFailed(error && error.message ? error.message : String(error));
        });
      }, 0);
    };
  }

  function restartFailed(reason) {
    var app = document.getElementById('app');
    if (!app) return;
    app.textContent = '';
    var alert = document.createElement('section');
    alert.className = 'banner';
    alert.setAttribute('role', 'alert');
    alert.setAttribute('data-testid', 'restart-failed');
    var heading = document.createElement('h2');
    heading.textContent = 'Overlap could not rebuild its worker pool';
    var p = document.createElement('p');
    p.textContent = 'A worker died, and starting a fresh instance failed: ' + reason +
      '. Reload the page; your experiment is in its address and your kept runs are saved.';
    alert.appendChild(heading);
    alert.appendChild(p);
    app.appendChild(alert);
  }

  // Hosts that cannot send the isolation headers (GitHub Pages among them)
  // get them from isolate-sw.js, a service worker that adds them to every
  // response; a page is isolated or not from the moment it loads, so the
  // page reloads once when the worker is ready. The flag in sessionStorage
  // makes that one reload at most. Whatever stops the worker, the page
  // runs the fallback and says why.
  var RELOADED = 'overlap-isolation-reload';
  var NO_HEADERS = 'This page is not cross-origin isolated: the host does not send the headers ' +
    '(Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp) ' +
    'that let the page share memory between threads. ';
  function fallback(why) {
    start('fallback', NO_HEADERS + why);
  }

  if (!(window.crossOriginIsolated && typeof SharedArrayBuffer === 'function')) {
    var reloaded = false;
    try {
      reloaded = window.sessionStorage.getItem(RELOADED) === '1';
    } catch (e) {
      reloaded = true; // no storage: no way to stop a reload loop, so do not start one
    }
    if (!window.isSecureContext || !('serviceWorker' in navigator)) {
      fallback('A service worker could add them, but this browser offers none here (' +
        (window.isSecureContext ? 'service workers are blocked or unsupported' : 'the page is not served over HTTPS') + ').');
    } else if (reloaded) {
      fallback('A service worker was installed to add them and the page reloaded once, yet it is ' +
        'still not isolated (a private window or a browser setting may keep service workers out).');
    } else {
      isolate();
    }
  } else {
    try {
      window.sessionStorage.removeItem(RELOADED);
    } catch (e) { /* nothing to clear */ }
  }

  function isolate() {
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
      fallback('A service worker could add them, but the browser did not let it start ' +
        '(service workers are blocked here).');
    };
    // A registration that never settles must not leave the page waiting.
    var stalled = setTimeout(blocked, 10000);
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
      fallback('The service worker that adds them could not be installed: ' +
        (error && error.message ? error.message : String(error)) + '.');
    });
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
  if (window.crossOriginIsolated && typeof SharedArrayBuffer === 'function') start('threaded');
})();
