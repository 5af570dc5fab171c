// pseudogen's page: an editor, and the code and its pseudo-code row by row, from POST /api/translate.
// Everything the server sends is put in the page as text (textContent), never as HTML.
(function () {
  'use strict';
  var DEBOUNCE_MS = 500;
  var JOINER = '@.@';
  var NO_SPACE_BEFORE = [JOINER, ',', '.', ':', ';', ')'];
  var NO_SPACE_AFTER = [JOINER, '('];
  var ASCII = /^[\x00-\x7f]*$/;
  var japanese = false;  // the shown translation is Japanese: only two ASCII words (code) have a space between

  var $ = function (id) { return document.getElementById(id); };
  var code, gutter, rows, status, modelSelect, exampleSelect, live;
  var sequence = 0, inFlight = null, timer = null, lastCode = null, lastModel = null;

  function init() {
    code = $('code'); gutter = $('gutter'); rows = $('rows'); status = $('status');
    modelSelect = $('model'); exampleSelect = $('example'); live = $('live');
    code.value = localStorage.getItem('pseudogen.code') || '';
    code.addEventListener('input', function () {
      localStorage.setItem('pseudogen.code', code.value);
      updateGutter([]);
      if (live.checked) { schedule(); }
    });
    code.addEventListener('scroll', function () { gutter.scrollTop = code.scrollTop; });
    code.addEventListener('keydown', editorKeys);
    $('controls').addEventListener('submit', function (event) { event.preventDefault(); translateNow(true); });
    modelSelect.addEventListener('change', function () {
      localStorage.setItem('pseudogen.model', modelSelect.value);
      describeModel();
      translateNow(true);
    });
    exampleSelect.addEventListener('change', chooseExample);
    $('copy-comments').addEventListener('click', function () { exportAs('comments', 'copy'); });
    $('download-comments').addEventListener('click', function () { exportAs('comments', 'download'); });
    $('copy-markdown').addEventListener('click', function () { exportAs('markdown', 'copy'); });
    $('download-markdown').addEventListener('click', function () { exportAs('markdown', 'download'); });
    rows.addEventListener('mouseover', pointAt);
    rows.addEventListener('mouseout', pointAway);
    rows.addEventListener('focusin', pointAt);
    rows.addEventListener('focusout', pointAway);
    rows.addEventListener('click', goToLine);
    updateGutter([]);
    Promise.all([loadModels(), loadExamples()]).then(function () {
      if (!code.value.trim() && window.pseudogenExamples.length) { setCode(window.pseudogenExamples[0].code); }
      translateNow(true);
    });
  }

  // -- the editor ------------------------------------------------------------------------------

  function editorKeys(event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault(); translateNow(true); return;
    }
    if (event.key === 'Escape') { code.dataset.leaving = '1'; return; }
    if (event.key === 'Tab' && !code.dataset.leaving && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      var start = code.selectionStart, end = code.selectionEnd;
      if (event.shiftKey) { dedentLine(start); } else {
        code.setRangeText('    ', start, end, 'end');
      }
      code.dispatchEvent(new Event('input'));
      return;
    }
    delete code.dataset.leaving;
  }

  function dedentLine(position) {
    var lineStart = code.value.lastIndexOf('\n', position - 1) + 1;
    var spaces = /^ {1,4}/.exec(code.value.slice(lineStart));
    if (spaces) { code.setRangeText('', lineStart, lineStart + spaces[0].length, 'end'); }
  }

  function setCode(text) {
    code.value = text;
    localStorage.setItem('pseudogen.code', text);
    updateGutter([]);
  }

  function updateGutter(problems) {
    var count = code.value.split('\n').length;
    var marked = {};
    problems.forEach(function (p) { for (var l = p.line; l <= p.end_line; l++) { marked[l] = p.message; } });
    gutter.textContent = '';
    for (var i = 1; i <= count; i++) {
      var number = document.createElement('span');
      number.textContent = String(i);
      if (marked[i]) { number.className = 'bad'; number.title = marked[i]; }
      gutter.appendChild(number);
      gutter.appendChild(document.createTextNode('\n'));
    }
    gutter.scrollTop = code.scrollTop;
  }

  function goToLine(event) {
    var row = event.target.closest('tr[data-line]');
    if (!row || event.target.closest('.w')) { return; }
    var line = Number(row.dataset.line), offset = 0, lines = code.value.split('\n');
    for (var i = 0; i < line - 1 && i < lines.length; i++) { offset += lines[i].length + 1; }
    code.focus();
    code.setSelectionRange(offset, offset);
  }

  // -- models and examples ---------------------------------------------------------------------

  function loadModels() {
    return getJSON('/api/models').then(function (answer) {
      modelSelect.textContent = '';
      window.pseudogenModels = {};
      answer.models.forEach(function (model) {
        window.pseudogenModels[model.name] = model;
        var option = document.createElement('option');
        option.value = model.name;
        option.textContent = model.label + (answer.models.length > 1 ? ' (' + model.name + ')' : '');
        modelSelect.appendChild(option);
      });
      var kept = localStorage.getItem('pseudogen.model');
      modelSelect.value = kept && window.pseudogenModels[kept] ? kept : answer.default;
      describeModel();
    }, function () { say('cannot reach the server to list its models', true); });
  }

  function describeModel() {
    var model = (window.pseudogenModels || {})[modelSelect.value];
    if (!model) { return; }
    var facts = [model.kind + ' model'];
    if (model.training.bleu !== undefined) {
      facts.push('BLEU ' + Number(model.training.bleu).toFixed(1) + ' on its ' + (model.training.scored_set || 'dev') + ' set');
    }
    if (model.training.rules !== undefined) { facts.push(Number(model.training.rules).toLocaleString() + ' rules'); }
    $('model-about').textContent = model.label + ': ' + facts.join(', ');
  }

  function loadExamples() {
    window.pseudogenExamples = [];
    return getJSON('/api/examples').then(function (answer) {
      window.pseudogenExamples = answer.examples;
      answer.examples.forEach(function (example, index) {
        var option = document.createElement('option');
        option.value = String(index);
        option.textContent = example.name.replace(/^\d+ /, '');
        exampleSelect.appendChild(option);
      });
    }, function () {});
  }

  function chooseExample() {
    var example = window.pseudogenExamples[Number(exampleSelect.value)];
    if (example) { setCode(example.code); translateNow(true); }
  }

  // -- translating -----------------------------------------------------------------------------

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { translateNow(false); }, DEBOUNCE_MS);
  }

  function translateNow(force) {
    clearTimeout(timer);
    if (!force && code.value === lastCode && modelSelect.value === lastModel) { return; }
    lastCode = code.value; lastModel = modelSelect.value;
    if (inFlight) { inFlight.abort(); }
    var mine = ++sequence;
    inFlight = new AbortController();
    say('translating…', false);
    var started = performance.now();
    post({ code: code.value, model: modelSelect.value || null, format: 'json' }, inFlight.signal)
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (mine !== sequence) { return; }
        inFlight = null;
        if (!answer.ok) { say(answer.body.detail || 'the server refused the request', true); return; }
        show(answer.body, (performance.now() - started) / 1000);
      })
      .catch(function (err) {
        if (err.name === 'AbortError' || mine !== sequence) { return; }
        inFlight = null;
        say('cannot reach the server: ' + err.message, true);
      });
  }

  function post(body, signal) {
    return fetch('/api/translate', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                     body: JSON.stringify(body), signal: signal });
  }

  function getJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ': ' + response.status); }
      return response.json();
    });
  }

  function say(text, problem) {
    status.textContent = text;
    status.classList.toggle('problem', !!problem);
  }

  // -- the result, row by row --------------------------------------------------------------------

  function show(document_, seconds) {
    rows.textContent = '';
    japanese = ((window.pseudogenModels || {})[document_.model] || {}).text_language === 'ja';
    var problems = [];
    document_.segments.forEach(function (segment, index) {
      rows.appendChild(row(segment, index));
      var message = segment.kind === 'error' ? 'cannot parse: ' + segment.error
        : (segment.error ? 'not translated: ' + segment.error : null);
      if (message) { problems.push({ line: segment.line, end_line: segment.end_line, message: message }); }
    });
    updateGutter(problems);
    var said = document_.statements + ' statement' + (document_.statements === 1 ? '' : 's') +
      ' in ' + seconds.toFixed(2) + ' s';
    if (problems.length) {
      say(said + '; line ' + problems[0].line + ': ' + problems[0].message +
          (problems.length > 1 ? ' (and ' + (problems.length - 1) + ' more marked)' : ''), true);
    } else { say(said, false); }
  }

  function row(segment, index) {
    var tr = document.createElement('tr');
    tr.dataset.line = String(segment.line);
    tr.id = 's' + index;
    var untranslated = segment.kind !== 'error' && segment.error;
    tr.className = segment.kind + (untranslated ? ' untranslated' : '');
    var number = cell('n', segment.kind === 'blank' ? '' : String(segment.line));
    if (segment.end_line > segment.line) { number.title = 'lines ' + segment.line + '–' + segment.end_line; }
    var codeCell = cell('code', '');
    var pseudo = cell('pseudo', '');
    pseudo.style.setProperty('--depth', String(segment.depth || 0));
    var places = (segment.words || []).reduce(function (all, w) { return all.concat(w.tokens); }, []);
    fillCode(codeCell, segment, places);
    if (segment.kind === 'error') {
      pseudo.textContent = '[cannot parse: ' + segment.error + ']';
    } else if (untranslated) {
      pseudo.textContent = '[not translated: ' + segment.error + ']';
    } else if (segment.kind === 'docstring') {
      var doc = document.createElement('span');
      doc.className = 'doc';
      doc.textContent = segment.pseudo_code;
      pseudo.appendChild(doc);
    } else if (segment.words && segment.words.length) {
      fillWords(pseudo, segment.words);
    } else if (segment.pseudo_code !== undefined) {
      pseudo.textContent = segment.pseudo_code;
    }
    tr.appendChild(number); tr.appendChild(codeCell); tr.appendChild(pseudo);
    return tr;
  }

  function cell(kind, text) {
    var td = document.createElement('td');
    td.className = kind;
    td.textContent = text;
    return td;
  }

  function key(place) { return place.join(':'); }

  // The code, as it stands in the file, with a span for each token that a word came from.
  // Places are [line, column, end line, end column], columns in code points.
  function fillCode(td, segment, places) {
    var chars = Array.from(' '.repeat(segment.column || 0) + (segment.code || ''));
    var starts = [0];
    chars.forEach(function (ch, i) { if (ch === '\n') { starts.push(i + 1); } });
    var spans = [], seen = {};
    places.forEach(function (place) {
      var k = key(place);
      if (seen[k]) { return; }
      seen[k] = true;
      var from = starts[place[0] - segment.line], to = starts[place[2] - segment.line];
      if (from === undefined || to === undefined) { return; }
      spans.push({ start: from + place[1], end: to + place[3], key: k });
    });
    spans.sort(function (a, b) { return a.start - b.start; });
    var position = 0;
    spans.forEach(function (span) {
      if (span.start < position || span.end > chars.length) { return; }
      td.appendChild(document.createTextNode(chars.slice(position, span.start).join('')));
      var token = document.createElement('span');
      token.className = 't';
      token.dataset.key = span.key;
      token.textContent = chars.slice(span.start, span.end).join('');
      td.appendChild(token);
      position = span.end;
    });
    td.appendChild(document.createTextNode(chars.slice(position).join('')));
  }

  function fillWords(td, words) {
    words.forEach(function (item, index) {
      var word = item.word;
      var previous = index ? words[index - 1].word : null;
      if (index && NO_SPACE_BEFORE.indexOf(word) < 0 && NO_SPACE_AFTER.indexOf(previous) < 0 &&
          !(japanese && !(ASCII.test(word) && ASCII.test(previous)))) {
        td.appendChild(document.createTextNode(' '));
      }
      var span = document.createElement('span');
      span.className = 'w';
      span.textContent = (word === JOINER ? '.' : word).replace(/\u2581/g, ' ');
      if (item.tokens.length) {
        span.dataset.src = item.tokens.map(key).join(' ');
        span.tabIndex = 0;
      }
      td.appendChild(span);
    });
  }

  // -- hovering: a phrase lights its code tokens, a token lights its phrase -------------------------

  function pointAt(event) {
    var target = event.target;
    if (!target.closest) { return; }
    var tr = target.closest('tr');
    if (tr) { tr.classList.add('current'); }
    var word = target.closest('.w[data-src]'), token = target.closest('.t');
    if (word) { light(tr, word.dataset.src.split(' '), true); }
    if (token) { light(tr, [token.dataset.key], true); }
  }

  function pointAway(event) {
    var tr = event.target.closest && event.target.closest('tr');
    if (!tr) { return; }
    tr.classList.remove('current');
    tr.querySelectorAll('.on').forEach(function (el) { el.classList.remove('on'); });
  }

  function light(tr, keys, on) {
    tr.querySelectorAll('.t').forEach(function (token) {
      if (keys.indexOf(token.dataset.key) >= 0) { token.classList.toggle('on', on); }
    });
    tr.querySelectorAll('.w[data-src]').forEach(function (word) {
      var sources = word.dataset.src.split(' ');
      if (keys.some(function (k) { return sources.indexOf(k) >= 0; })) { word.classList.toggle('on', on); }
    });
  }

  // -- copying and downloading -----------------------------------------------------------------

  function exportAs(format, how) {
    post({ code: code.value, model: modelSelect.value || null, format: format })
      .then(function (response) {
        if (!response.ok) { return response.json().then(function (body) { throw new Error(body.detail); }); }
        return response.text();
      })
      .then(function (text) {
        var name = 'pseudogen.' + (format === 'markdown' ? 'md' : 'py');
        if (how === 'download') { download(text, name); say('saved ' + name, false); return; }
        return copy(text).then(function () {
          say('copied ' + (format === 'markdown' ? 'the Markdown table' : 'the commented code'), false);
        });
      })
      .catch(function (err) { say('cannot export: ' + err.message, true); });
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    var area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    document.body.removeChild(area);
    return Promise.resolve();
  }

  function download(text, name) {
    var url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    var link = document.createElement('a');
    link.href = url; link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  document.addEventListener('DOMContentLoaded', init);
}());
