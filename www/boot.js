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
  // The language: the visitor's choice, remembered in this browser, else
  // the first of the browser's languages whose primary subtag (as the
  // browser's own Intl.Locale reads it) the page offers, else the first it
  // offers. What it offers is the switch's options (a Rust test holds them
  // to core's Lang::ALL). This is the page's one language rule: the wasm
  // reads the language from the catalogue it is handed.
  //
  // A catalogue is JSON, { lang, entries: { key: value } }, written at build
  // time by core's own reader of crates/core/text (scripts/catalogue.mjs):
  // this script knows nothing of that format, and a Rust test
  // (crates/core/tests/boot_js.rs) keeps it so. It is fetched here, before
  // the WebAssembly needs it, and the page's static text (elements with
  // data-text="key") is written from it.
  //
  // The query is read by core's codec only: this script keeps the one the
  // page was opened with (the page rewrites its address to the
  // experiment's) for the wasm, which asks core whether it says debug=pseudo
  // (then it shows the pseudo-language, text/pseudo.json, through
  // overlapShow below, before it mounts) or debug=faults (see instantiate).
  window.overlapQuery = window.location.search;
  var LANG = 'overlap-lang';
  var langSwitch = document.getElementById('lang');
  var langs = {};
  var firstLang = 'en';
  if (langSwitch) {
    Array.prototype.forEach.call(langSwitch.options, function (option, i) {
      langs[option.value] = 1;
      if (i === 0) firstLang = option.value;
    });
  }
  function browserLang() {
    var tags = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < tags.length; i++) {
      var primary;
      try { primary = new Intl.Locale(tags[i]).language; } catch (e) { continue; }
      if (langs[primary]) return primary;
    }
    return firstLang;
  }
  var catalogues = {};
  // `name`: a language of the switch, or "pseudo".
  function catalogue(name) {
    if (!catalogues[name]) {
      var url = 'text/' + name + '.json';
      catalogues[name] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
        return response.text();
      }).then(function (json) {
        var c = JSON.parse(json);
        // `json` as it came, for the wasm to read with core.
        return { name: name, lang: c.lang, entries: c.entries, json: json };
      });
      catalogues[name].catch(function () { delete catalogues[name]; });
    }
    return catalogues[name];
  }
  function t(c, key) {
    var value = c.entries[key];
    return value === undefined ? '‹' + key + '›' : value;
  }
  var shown = { entries: {} };
  function writeStatic(c) {
    shown = c;
    document.documentElement.setAttribute('lang', c.lang);
    Array.prototype.forEach.call(document.querySelectorAll('[data-text]'), function (el) {
      el.textContent = t(c, el.getAttribute('data-text'));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-text-content]'), function (el) {
      el.setAttribute('content', t(c, el.getAttribute('data-text-content')));
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-text-label]'), function (el) {
      el.setAttribute('aria-label', t(c, el.getAttribute('data-text-label')));
    });
  }
  var lang = langs[stored(LANG)] ? stored(LANG) : browserLang();
  // What the WebAssembly reads before it mounts (the current catalogue);
  // later ones reach it as an overlap-lang event.
  var first = window.overlapText = catalogue(lang);
  // Without its text the page has nothing to say: this one message is
  // written here, in English, for want of any catalogue.
  var textReady = first.then(function (c) {
    if (window.overlapText === first) writeStatic(c); // unless another is shown already
    return c;
  }, function (error) {
    return { lang: 'en', entries: {}, missing: error && error.message ? error.message : String(error) };
  });
  // Shows the catalogue `name` (the switch, and the wasm for the
  // pseudo-language): the static text, then an overlap-lang event for the
  // wasm. The switch is off while what is shown is none of its options.
  function show(name) {
    var next = catalogue(name);
    window.overlapText = next;
    if (langSwitch) langSwitch.disabled = !langs[name];
    return next.then(function (c) {
      if (window.overlapText !== next) return c; // a later choice won
      if (langSwitch) langSwitch.value = c.lang;
      writeStatic(c);
      window.dispatchEvent(new CustomEvent('overlap-lang', { detail: c }));
      return c;
    });
  }
  window.overlapShow = show;
  if (langSwitch) {
    langSwitch.value = lang;
    langSwitch.addEventListener('change', function () {
      var chosen = langs[langSwitch.value] ? langSwitch.value : firstLang;
      try {
        window.localStorage.setItem(LANG, chosen);
      } catch (e) { /* storage refused: the choice lasts this page */ }
      show(chosen).catch(function (error) {
        langSwitch.value = document.documentElement.getAttribute('lang') || firstLang;
        window.alert(t(shown, 'prefs.language_failed').split('{detail}').join(error && error.message ? error.message : String(error)));
      });
    });
  }

  var boot = document.getElementById('boot');
  var message = document.getElementById('boot-message');

  function mounted() {
    return !document.getElementById('boot');
  }

  // Writes a boot message from catalogue keys: `paragraphs` are keys, or
  // [key, detail] pairs whose {detail} is filled in.
  function say(title, paragraphs, testid) {
    textReady.then(function (c) { sayIn(c, title, paragraphs, testid); });
  }
  function fill(c, item) {
    if (typeof item === 'string') return t(c, item);
    return t(c, item[0]).split('{detail}').join(item[1]);
  }
  function sayIn(c, title, paragraphs, testid) {
    if (mounted()) return;
    if (c.missing) {
      title = 'Overlap could not start';
      paragraphs = ['Its text could not be loaded (' + c.missing + '). Reload the page to try again.'];
      c = { entries: {} };
    } else {
      title = t(c, title);
      paragraphs = paragraphs.map(function (item) { return fill(c, item); });
    }
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
      failed(['boot.unnamed_build', build]);
      return;
    }
    if (build === 'fallback') {
      window.overlapFallbackReason = reason;
      say('boot.loading_fallback', ['boot.no_headers', reason], 'loading-fallback');
    }
    // Nothing failed loudly but nothing mounted either: say so rather than
    // leave a loading message up forever.
    setTimeout(function () {
      if (!mounted() && boot.getAttribute('data-state') !== 'boot-failed') {
        failed(['boot.still_not_running', '']);
      }
    }, 20000);
    // The module and its glue download side by side.
    instantiate(js, fetch(wasm)).catch(function (error) {
      failed(['boot.failed_detail', error && error.message ? error.message : String(error)]);
    });
    if (build === 'threaded') window.overlapRestart = restart(js);
  }

  // The automation hook (README, "The automation hook"): runExperiment, and
  // injectFault only on a page opened with debug=faults, which the wasm
  // reads with core's codec from the query kept at boot.
  var current = null;
  function instantiate(js, module) {
    return import(js).then(function (glue) {
      return glue.default({ module_or_path: module }).then(function () {
        current = glue;
        var hook = { runExperiment: glue.runExperiment };
        if (glue.debugFlag(window.overlapQuery, 'faults')) hook.injectFault = glue.injectFault;
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
    textReady.then(function (c) { restartFailedIn(c, reason); });
  }
  function restartFailedIn(c, reason) {
    var app = document.getElementById('app');
    if (!app) return;
    app.textContent = '';
    var alert = document.createElement('section');
    alert.className = 'banner';
    alert.setAttribute('role', 'alert');
    alert.setAttribute('data-testid', 'restart-failed');
    var heading = document.createElement('h2');
    heading.textContent = t(c, 'boot.restart_failed');
    var p = document.createElement('p');
    p.textContent = t(c, 'boot.restart_failed_why').split('{detail}').join(reason);
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
  // `why` is a catalogue key, or [key, detail]; the fallback's banner says it
  // after boot.no_headers (window.overlapFallbackReason).
  function fallback(why) {
    start('fallback', typeof why === 'string' ? [why, ''] : why);
  }

  if (!(window.crossOriginIsolated && typeof SharedArrayBuffer === 'function')) {
    var reloaded = false;
    try {
      reloaded = window.sessionStorage.getItem(RELOADED) === '1';
    } catch (e) {
      reloaded = true; // no storage: no way to stop a reload loop, so do not start one
    }
    if (!window.isSecureContext || !('serviceWorker' in navigator)) {
      fallback(window.isSecureContext ? 'boot.no_sw_blocked' : 'boot.no_sw_https');
    } else if (reloaded) {
      fallback('boot.still_not_isolated');
    } else {
      isolate();
    }
  } else {
    try {
      window.sessionStorage.removeItem(RELOADED);
    } catch (e) { /* nothing to clear */ }
  }

  function isolate() {
    say('boot.preparing', ['boot.preparing_why'], 'isolating');
    var reload = function () {
      try {
        window.sessionStorage.setItem(RELOADED, '1');
      } catch (e) { /* checked above */ }
      window.location.reload();
    };
    var blocked = function () {
      fallback('boot.sw_not_started');
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
      fallback(['boot.sw_not_installed', error && error.message ? error.message : String(error)]);
    });
  }

  // `reason` is [key, detail].
  function failed(reason) {
    say('boot.failed', [reason, 'boot.failed_advice'], 'boot-failed');
  }
  // Capture phase: a <script> that fails to load fires a non-bubbling error
  // on its element, which only a capturing listener on window sees.
  window.addEventListener('error', function (event) {
    var target = event.target;
    if (target && target !== window && target.tagName) {
      if (target.tagName === 'SCRIPT' || target.rel === 'modulepreload') {
        failed(['boot.could_not_load', target.src || target.href]);
      }
      return;
    }
    failed(['boot.failed_detail', event.message || '?']);
  }, true);
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    failed(['boot.failed_detail', reason && reason.message ? reason.message : String(reason)]);
  });
  if (window.crossOriginIsolated && typeof SharedArrayBuffer === 'function') start('threaded');
})();
