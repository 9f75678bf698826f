// boex report: draws the page from the JSON in #boex-data (report_model.cpp) with Plotly when
// the build embedded it. A large study's page would take seconds to lay out every plot, so the
// page first builds its sections with empty plot boxes of their final size, draws the plots on
// the first screen, and draws the rest as they scroll into view or when the browser is idle
// (all at once before printing or with #all in the URL). #boex-report is marked with data-plots
// (plots on the page), data-open-ms (navigation to the first screen drawn and painted, also the
// performance mark 'boex-first-screen'; window.boexOpened resolves then with the wall-clock time
// in ms), data-rendered and data-render-ms (every plot and the whole trial table drawn).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('boex-data').textContent);
  var root = document.getElementById('boex-report');
  var hasPlotly = typeof window.Plotly !== 'undefined';
  var study = data.study, trials = data.trials, model = data.model;
  var pending = [];
  var plotCount = 0;
  // Deferred drawing: each job fills one plot box (or part of the table) once.
  var jobs = [];
  var opened;
  window.boexOpened = new Promise(function (resolve) { opened = resolve; });
  var palette = ['#3b6fd6', '#e07b39', '#2e9e6a', '#b8437a', '#7a5bc7', '#a08a1e'];

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function section(title, note) {
    var s = el('section');
    s.appendChild(el('h2', null, title));
    if (note) s.appendChild(el('p', 'note', note));
    root.appendChild(s);
    return s;
  }
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    var a = Math.abs(v);
    return (a !== 0 && (a < 1e-3 || a >= 1e5)) ? v.toExponential(3) : v.toPrecision(5).replace(/\.?0+$/, '');
  }
  function facts(parent, pairs) {
    var box = el('div', 'facts');
    pairs.forEach(function (p) {
      var d = el('div');
      d.appendChild(el('span', null, p[0] + ':'));
      d.appendChild(document.createTextNode(p[1]));
      box.appendChild(d);
    });
    parent.appendChild(box);
  }
  function paramsText(params) {
    return Object.keys(params).map(function (k) { return k + '=' + fmt(params[k]); }).join(', ');
  }
  function later(box, run) {
    var job = { box: box, run: run, done: false };
    jobs.push(job);
    if (box) box.boexJob = job;
  }
  function runJob(job) {
    if (job.done) return;
    job.done = true;
    var drawn = job.run();
    if (drawn) pending.push(drawn);
  }
  // A plot box of its final height now; build() returns [traces, layout] when it is drawn, so a
  // plot that is never looked at costs nothing at load.
  function plot(parent, height, build) {
    if (!hasPlotly) return;
    var div = el('div', 'plot');
    div.style.minHeight = height + 'px';
    parent.appendChild(div);
    plotCount += 1;
    later(div, function () {
      var spec = build();
      var base = { margin: { l: 60, r: 20, t: 36, b: 48 }, height: height, font: { size: 11 },
                   paper_bgcolor: '#fff', plot_bgcolor: '#fff', showlegend: true, legend: { orientation: 'h', y: -0.2 } };
      for (var k in spec[1]) base[k] = spec[1][k];
      return Plotly.newPlot(div, spec[0], base, { displaylogo: false, responsive: true });
    });
  }
  function axis(title, extra) {
    var a = { title: { text: title }, zeroline: false, gridcolor: '#eceff3' };
    for (var k in extra) a[k] = extra[k];
    return a;
  }
  // Trials per cell of a grid over (x, y) as one image: what a cloud of thousands of markers
  // shows, at the cost of one. Empty cells are transparent, so layers can overlap; layers that
  // share a plot share the grid that spans all of (gridX, gridY).
  function density(x, y, name, rgb, gridX, gridY) {
    var range = function (v) {
      var lo = Infinity, hi = -Infinity;
      for (var k = 0; k < v.length; ++k) { lo = Math.min(lo, v[k]); hi = Math.max(hi, v[k]); }
      return v.length ? [lo, hi] : [0, 1];
    };
    var rx = range(gridX || x), ry = range(gridY || y);
    return { type: 'histogram2d', x: x, y: y, name: name, zmin: 0, showscale: false,
             xbins: { start: rx[0] - 0.5, end: rx[1] + 0.5, size: Math.max(1, Math.ceil((rx[1] - rx[0] + 1) / 300)) },
             ybins: { start: ry[0], end: ry[1], size: ry[1] > ry[0] ? (ry[1] - ry[0]) / 80 : 1 },
             colorscale: [[0, 'rgba(255,255,255,0)'], [1e-6, 'rgba(' + rgb + ',0.25)'], [1, 'rgba(' + rgb + ',1)']],
             hovertemplate: 'trial %{x}, value %{y}: %{z} ' + name + '<extra></extra>' };
  }
  function parameter(name) {
    return study.parameters.filter(function (p) { return p.name === name; })[0];
  }

  // Header: the study and its state.
  var head = section('Study ' + study.name);
  var counts = study.counts;
  facts(head, [['direction', study.direction], ['strategy', study.strategy], ['trials', String(study.n_trials)],
               ['complete', String(counts.complete)], ['failed', String(counts.failed)],
               ['running', String(counts.running)], ['waiting', String(counts.waiting)],
               ['constraints', String(study.n_constraints)], ['generated', study.generated]]);
  if (data.target !== null) head.appendChild(el('p', 'note', 'Target study: the told value should hit ' + fmt(data.target) + '.'));
  if (!hasPlotly) {
    var w = section('Plots are missing from this build');
    w.className = 'warning';
    w.appendChild(el('p', null, 'This boex was built without Plotly (npm was not available when it was configured), so ' +
                                 'this report has no plots. Install nodejs and npm and rebuild boex to get them.'));
  }

  var n = trials.number.length;
  if (n === 0) {
    var empty = section('No trials yet');
    var p = el('p', 'empty', 'No trials yet: study "' + study.name + '" has no trials. Ask for some (boex ask), ' +
                             'tell their results, and run boex report again.');
    p.id = 'boex-empty';
    empty.appendChild(p);
    finish();
    return;
  }

  var bestIndex = -1;
  for (var i = 0; i < n; ++i) if (trials.feasible[i] && trials.value[i] === trials.best[n - 1]) { bestIndex = i; break; }
  if (bestIndex >= 0) {
    var params = {};
    Object.keys(trials.params).forEach(function (k) { params[k] = trials.params[k][bestIndex]; });
    facts(head, [['best trial', '#' + trials.number[bestIndex] + ', value ' + fmt(trials.value[bestIndex])],
                 ['at', paramsText(params)]]);
  } else {
    head.appendChild(el('p', 'note', 'No feasible complete trial yet.'));
  }
  if (model.available) {
    facts(head, [['recommended (best posterior mean)', '#' + model.recommended.number + ', mean ' +
                  fmt(model.recommended.mean) + ', observed ' + fmt(model.recommended.value)],
                 ['at', paramsText(model.recommended.params)]]);
  }

  // History and best so far.
  var fid = study.fidelity;
  var hist = section('History', 'Every complete trial by number (feasible, infeasible) and the best feasible value so far' +
                     (fid ? ' at the target fidelity (' + fid.name + ' = ' + fmt(fid.target) + '); feasible trials are ' +
                            'coloured by their fidelity.' : '.'));
  var many = n > 2000;
  // Past a few thousand markers an SVG scatter takes seconds to lay out while the markers merge
  // into a cloud anyway: a large study's history shows that cloud as the number of trials per
  // cell (one image per trace) and marks each trial that set a new best.
  var complete = 0;
  for (i = 0; i < n; ++i) if (trials.value[i] !== null && trials.state[i] === 'complete') complete += 1;
  var dense = complete > 2500;
  if (dense) hist.querySelector('.note').textContent += ' With ' + complete + ' complete trials, the history shows how many ' +
      'trials fall in each cell (darker: more; feasible blue, infeasible grey)' + (fid ? ', not their fidelity,' : '') +
      ' and marks the trials that set a new best.';
  plot(hist, 340, function () {
    var feasX = [], feasY = [], feasF = [], infX = [], infY = [], recX = [], recY = [];
    for (var i = 0; i < n; ++i) {
      if (trials.value[i] === null || trials.state[i] !== 'complete') continue;
      var v = trials.value[i];
      if (trials.feasible[i]) {
        feasX.push(trials.number[i]); feasY.push(v);
        if (fid) feasF.push(trials.params[fid.name][i]);
        if (v === trials.best[i] && (i === 0 || trials.best[i - 1] !== v)) { recX.push(trials.number[i]); recY.push(v); }
      } else { infX.push(trials.number[i]); infY.push(v); }
    }
    var best = { x: trials.number, y: trials.best, mode: 'lines', type: 'scatter', name: fid ? 'best so far at the target' : 'best so far',
                 line: { color: palette[1], width: 2, shape: 'hv' } };
    var layout = { title: { text: 'Objective by trial' }, xaxis: axis('trial'), yaxis: axis('value') };
    if (dense) {
      var allX = feasX.concat(infX), allY = feasY.concat(infY);
      return [[density(infX, infY, 'infeasible', '120,120,120', allX, allY), density(feasX, feasY, 'feasible', '59,111,214', allX, allY), best,
               { x: recX, y: recY, mode: 'markers', type: 'scatter', name: 'new best', marker: { color: palette[1], size: 6 } }],
              layout];
    }
    var feasMarker = { color: palette[0], size: many ? 3 : 6 };
    if (fid) feasMarker = { color: feasF, colorscale: 'Viridis', showscale: true, size: many ? 3 : 6,
                            colorbar: { title: { text: fid.name } } };
    return [[
      { x: feasX, y: feasY, mode: 'markers', type: 'scatter', name: 'feasible', marker: feasMarker },
      { x: infX, y: infY, mode: 'markers', type: 'scatter', name: 'infeasible', marker: { color: '#999', symbol: 'x', size: many ? 3 : 7 } },
      best
    ], layout];
  });
  if (trials.cost) {
    plot(hist, 340, function () {
      var cumulative = [], total = 0;
      for (var i = 0; i < n; ++i) { total += trials.cost[i] || 0; cumulative.push(total); }
      return [[{ x: cumulative, y: trials.best, mode: 'lines', type: 'scatter', name: 'best so far',
                 line: { color: palette[1], width: 2, shape: 'hv' } }],
              { title: { text: 'Best so far against cumulative cost' }, xaxis: axis('cumulative cost'), yaxis: axis('best value') }];
    });
  }

  // Parallel coordinates on a 2-D canvas: one stroked path per value band, so ten thousand trials
  // cost what a handful do (as SVG, each trial's polyline is laid out and painted on its own).
  var pc = section('Parallel coordinates', 'Each complete trial is a line through its parameters (scaled to their ranges; ' +
                   'log parameters on a log scale) and its value; colour bands by value quantile, best band darkest.');
  // One axis per float/int/categorical parameter and per site of a sequence (its letters in
  // alphabet order).
  var axes = [];
  study.parameters.forEach(function (q) {
    if (q.type !== 'sequence') { axes.push({ name: q.name, q: q, site: -1 }); return; }
    for (var j = 0; j < q.length; ++j) axes.push({ name: q.length > 1 ? q.name + '[' + (j + 1) + ']' : q.name, q: q, site: j });
  });
  var names = study.parameters.map(function (q) { return q.name; });
  var rows = [];
  for (var i = 0; i < n; ++i) if (trials.value[i] !== null && trials.state[i] === 'complete') rows.push(i);
  if (rows.length > 0 && hasPlotly) {
    var pcBox = el('div', 'plot parallel');
    pcBox.style.height = '380px';
    pc.appendChild(pcBox);
    plotCount += 1;
    later(pcBox, function () { parallelCoordinates(pcBox, 380); });
  }

  function parallelCoordinates(box, height) {
    var values = rows.map(function (r) { return trials.value[r]; });
    var vmin = values.reduce(function (a, b) { return Math.min(a, b); }), vmax = values.reduce(function (a, b) { return Math.max(a, b); });
    var scale = function (a, v) {
      var q = a.q;
      if (v === null) return null;
      if (a.site >= 0) return q.alphabet.length > 1 ? q.alphabet.indexOf(v.charAt(a.site)) / (q.alphabet.length - 1) : 0.5;
      if (q.type === 'categorical') return q.choices.length > 1 ? q.choices.indexOf(v) / (q.choices.length - 1) : 0.5;
      if (q.high === q.low) return 0.5;
      if (q.log) return (Math.log(v) - Math.log(q.low)) / (Math.log(q.high) - Math.log(q.low));
      return (v - q.low) / (q.high - q.low);
    };
    // Rank of each row by value (0 smallest), by one sort rather than a search per row.
    var order = rows.map(function (_, k) { return k; }).sort(function (a, b) { return values[a] - values[b]; });
    var rankOf = new Array(rows.length);
    order.forEach(function (k, position) { rankOf[k] = position; });
    var bands = 5, nAxes = axes.length + 1;
    var better = study.direction === 'maximize' ? -1 : 1;
    // Scaled coordinates, row after row (null: no value on that axis), grouped by band.
    var lines = [];
    for (var b = 0; b < bands; ++b) lines.push([]);
    rows.forEach(function (r, k) {
      var rank = rankOf[k] / Math.max(1, rows.length - 1);
      if (better < 0) rank = 1 - rank;
      var line = lines[Math.min(bands - 1, Math.floor(rank * bands))];
      axes.forEach(function (a) { line.push(scale(a, trials.params[a.q.name][r])); });
      line.push(vmax > vmin ? (values[k] - vmin) / (vmax - vmin) : 0.5);
    });
    var labels = axes.map(function (a) {
      var q = a.q;
      var lo = a.site >= 0 ? q.alphabet.charAt(0) : q.type === 'categorical' ? q.choices[0] : fmt(q.low);
      var hi = a.site >= 0 ? q.alphabet.charAt(q.alphabet.length - 1)
                           : q.type === 'categorical' ? q.choices[q.choices.length - 1] : fmt(q.high);
      return [a.name, String(lo), String(hi)];
    }).concat([['value', fmt(vmin), fmt(vmax)]]);

    var canvas = el('canvas', 'pc-canvas');
    canvas.setAttribute('data-lines', String(rows.length));
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Parallel coordinates of ' + rows.length + ' trials');
    box.appendChild(canvas);
    var overlay = el('div', 'pc-labels');
    box.appendChild(overlay);
    var margin = { l: 40, r: 40, t: 28, b: 44 };
    var drawnWidth = -1;
    var draw = function () {
      var width = box.clientWidth;
      if (width === drawnWidth || width === 0) return;
      drawnWidth = width;
      var ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
      canvas.style.width = width + 'px'; canvas.style.height = height + 'px';
      var ctx = canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      var x = function (k) { return margin.l + k * (width - margin.l - margin.r) / Math.max(1, nAxes - 1); };
      var y = function (v) { return margin.t + (1 - v) * (height - margin.t - margin.b); };
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#bbb';
      ctx.beginPath();
      for (var k = 0; k < nAxes; ++k) { ctx.moveTo(x(k) + 0.5, y(1)); ctx.lineTo(x(k) + 0.5, y(0)); }
      ctx.stroke();
      // Worst band first, so the best band is drawn on top.
      for (var b = bands - 1; b >= 0; --b) {
        var line = lines[b];
        ctx.strokeStyle = 'rgba(59,111,214,' + (0.9 - 0.17 * b).toFixed(2) + ')';
        ctx.beginPath();
        for (var at = 0; at < line.length; at += nAxes) {
          var drawing = false;
          for (k = 0; k < nAxes; ++k) {
            var v = line[at + k];
            if (v === null || v === undefined || v < 0) { drawing = false; continue; }
            if (drawing) ctx.lineTo(x(k), y(v)); else ctx.moveTo(x(k), y(v));
            drawing = true;
          }
        }
        ctx.stroke();
      }
      // Axis names and ranges as text on top of the canvas: selectable, and crisp at any zoom.
      var html = [];
      var esc = function (t) { return t.replace(/&/g, '&amp;').replace(/</g, '&lt;'); };
      labels.forEach(function (l, k) {
        var left = 'left:' + x(k).toFixed(1) + 'px;';
        html.push('<span class="pc-hi" style="' + left + 'top:' + (margin.t - 18) + 'px">' + esc(l[2]) + '</span>' +
                  '<span class="pc-lo" style="' + left + 'top:' + (height - margin.b + 3) + 'px">' + esc(l[1]) + '</span>' +
                  '<span class="pc-name" style="' + left + 'top:' + (height - margin.b + 18) + 'px">' + esc(l[0]) + '</span>');
      });
      overlay.innerHTML = html.join('');
    };
    draw();
    if (window.ResizeObserver) new ResizeObserver(draw).observe(box);
  }

  // The GP's view: importance, one- and two-parameter slices through the recommended point.
  var ms = section('Model', model.available
    ? 'A GP (' + model.kernel + ' kernel) fitted to ' + model.fitted_on + ' of ' + model.complete + ' complete trials' +
      (model.fitted_on < model.complete ? ' (the best quarter and an even spread of the rest)' : '') +
      '; slices pass through the recommended point, bands are the posterior mean \u00b1 2 sd.' +
      (model.fell_back ? ' The hyperparameter fit fell back to its prior mode.' : '')
    : 'No model: ' + model.reason + '.');
  if (model.available) {
    if (model.importance.length) {
      plot(ms, Math.max(220, 60 + 28 * model.importance.length), function () {
        var imp = model.importance.slice().sort(function (a, b) { return a.weight - b.weight; });
        return [[{ type: 'bar', orientation: 'h', x: imp.map(function (e) { return e.weight; }),
                   y: imp.map(function (e) { return e.parameter; }), marker: { color: palette[2] }, name: 'importance' }],
                { title: { text: 'Parameter importance (inverse lengthscales, normalised)' }, showlegend: false,
                  xaxis: axis('share'), yaxis: { automargin: true } }];
      });
    }
    var grid = el('div', 'grid');
    ms.appendChild(grid);
    model.slices.forEach(function (s) {
      plot(grid, 300, function () {
        var upper = s.mean.map(function (m, k) { return m + 2 * s.sd[k]; });
        var lower = s.mean.map(function (m, k) { return m - 2 * s.sd[k]; });
        var at = s.recommended !== undefined ? s.recommended : model.recommended.params[s.parameter];
        var traces;
        if (s.type === 'categorical') {
          traces = [{ type: 'bar', x: s.x, y: s.mean, name: 'mean', marker: { color: s.x.map(function (c) { return c === at ? palette[1] : palette[0]; }) },
                      error_y: { type: 'data', array: s.sd.map(function (d) { return 2 * d; }), visible: true } }];
        } else {
          traces = [
            { x: s.x, y: upper, mode: 'lines', type: 'scatter', line: { width: 0 }, hoverinfo: 'skip', showlegend: false },
            { x: s.x, y: lower, mode: 'lines', type: 'scatter', fill: 'tonexty', fillcolor: 'rgba(59,111,214,0.2)',
              line: { width: 0 }, name: '\u00b1 2 sd' },
            { x: s.x, y: s.mean, mode: 'lines', type: 'scatter', line: { color: palette[0], width: 2 }, name: 'mean' },
            { x: [at], y: [model.recommended.mean], mode: 'markers', type: 'scatter', name: 'recommended',
              marker: { color: palette[1], size: 9 } }];
        }
        return [traces, { title: { text: s.parameter }, showlegend: false,
                          xaxis: axis(s.parameter, s.log ? { type: 'log' } : {}), yaxis: axis('posterior mean') }];
      });
    });
    if (model.contour) {
      var c = model.contour;
      var both = el('div', 'grid');
      ms.appendChild(both);
      [['posterior mean', c.mean, 'Viridis'], ['posterior sd', c.sd, 'Cividis']].forEach(function (e) {
        plot(both, 380, function () {
          var nx = c.x.length, z = [];
          for (var j = 0; j < c.y.length; ++j) z.push(e[1].slice(j * nx, (j + 1) * nx));
          var mark = { x: [model.recommended.params[c.x_parameter]], y: [model.recommended.params[c.y_parameter]], mode: 'markers',
                       type: 'scatter', name: 'recommended', marker: { color: '#fff', size: 10, line: { color: '#000', width: 2 } } };
          var xlog = parameter(c.x_parameter).log, ylog = parameter(c.y_parameter).log;
          return [[{ type: 'contour', x: c.x, y: c.y, z: z, colorscale: e[2], name: e[0],
                     contours: { coloring: 'heatmap' }, colorbar: { thickness: 12 } }, mark],
                  { title: { text: e[0] + ': ' + c.x_parameter + ' \u00d7 ' + c.y_parameter }, showlegend: false,
                    xaxis: axis(c.x_parameter, xlog ? { type: 'log' } : {}), yaxis: axis(c.y_parameter, ylog ? { type: 'log' } : {}) }];
        });
      });
    }
  }

  // Feasibility by constraint.
  if (study.n_constraints > 0) {
    var fs = section('Feasibility', 'Share of complete trials that satisfy each constraint (c \u2264 0), and each constraint by trial' +
                     (dense ? ' (trials per cell).' : '.'));
    var sub = el('div', 'grid');
    fs.appendChild(sub);
    var feasibility = null;  // computed once, by whichever of the two plots is drawn first
    var byConstraint = function () {
      if (feasibility) return feasibility;
      var shares = [], labels = [], scatter = [];
      for (var k = 0; k < study.n_constraints; ++k) {
        var col = trials.constraints[k], ok = 0, seen = 0, xs = [], ys = [];
        for (var i = 0; i < n; ++i) {
          if (trials.state[i] !== 'complete' || col[i] === null) continue;
          seen += 1; ok += col[i] <= 0 ? 1 : 0;
          xs.push(trials.number[i]); ys.push(col[i]);
        }
        labels.push('c' + k); shares.push(seen ? ok / seen : 0);
        scatter.push(dense ? density(xs, ys, 'c' + k, ['59,111,214', '224,123,57', '46,158,106'][k % 3])
                           : { x: xs, y: ys, mode: 'markers', type: 'scatter', name: 'c' + k, marker: { size: many ? 3 : 6, color: palette[k % palette.length] } });
      }
      var allOk = 0, complete = 0;
      for (var t = 0; t < n; ++t) if (trials.state[t] === 'complete') { complete += 1; allOk += trials.feasible[t] ? 1 : 0; }
      labels.push('all'); shares.push(complete ? allOk / complete : 0);
      feasibility = { shares: shares, labels: labels, scatter: scatter };
      return feasibility;
    };
    plot(sub, 340, function () {
      var f = byConstraint();
      return [[{ type: 'bar', x: f.labels, y: f.shares, marker: { color: palette[2] }, name: 'feasible share' }],
              { title: { text: 'Feasible share by constraint' }, showlegend: false, yaxis: axis('share', { range: [0, 1] }) }];
    });
    plot(sub, 340, function () {
      return [byConstraint().scatter, { title: { text: 'Constraint values (feasible below 0)' }, xaxis: axis('trial'), yaxis: axis('c'),
        shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: 0, y1: 0, line: { color: '#a33', dash: 'dash' } }] }];
    });
  }

  // Learning curves from intermediate reports.
  if (data.curves.length) {
    var lc = section('Learning curves', 'Intermediate values trials reported by step (' + data.curves.length + ' trials).');
    plot(lc, 340, function () {
      var curveTraces;
      if (data.curves.length <= 40) {
        curveTraces = data.curves.map(function (cv, k) {
          return { x: cv.steps, y: cv.values, mode: 'lines+markers', type: 'scatter', name: '#' + cv.number,
                   line: { width: 1.5, color: palette[k % palette.length] }, marker: { size: 4 } };
        });
      } else {
        var one = { x: [], y: [], mode: 'lines', type: 'scatter', name: 'trials', line: { width: 1, color: 'rgba(59,111,214,0.4)' } };
        data.curves.forEach(function (cv) {
          Array.prototype.push.apply(one.x, cv.steps); one.x.push(null);
          Array.prototype.push.apply(one.y, cv.values); one.y.push(null);
        });
        curveTraces = [one];
      }
      return [curveTraces, { title: { text: 'Reported values by step' }, xaxis: axis('step'), yaxis: axis('reported value') }];
    });
  }

  // The trials: the table's rows are added in slices after the plots, so a long table does not
  // hold up the first screen (its box is sized and scrolls on its own meanwhile).
  var ts = section('Trials', n + ' trials, newest last.');
  var wrap = el('div', 'table-wrap');
  ts.appendChild(wrap);
  var esc = function (s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;'); };
  var headCells = ['#', 'state', 'value', 'feasible'].concat(names, trials.constraints.map(function (_, k) { return 'c' + k; }),
                                                     trials.cost ? ['cost'] : []);
  wrap.innerHTML = '<table id="boex-trials"><thead><tr>' + headCells.map(function (h) { return '<th>' + esc(h) + '</th>'; }).join('') +
                   '</tr></thead><tbody></tbody></table>';
  var tbody = wrap.querySelector('tbody');
  var tableRows = function (from, to) {
    var html = [];
    for (var i = from; i < to; ++i) {
      var state = trials.state[i];
      var cls = state === 'complete' ? (trials.feasible[i] ? '' : 'infeasible') : state;
      var cells = [trials.number[i], state, fmt(trials.value[i]), state === 'complete' ? (trials.feasible[i] ? 'yes' : 'no') : ''];
      names.forEach(function (nm) { cells.push(fmt(trials.params[nm][i])); });
      trials.constraints.forEach(function (colk) { cells.push(fmt(colk[i])); });
      if (trials.cost) cells.push(fmt(trials.cost[i]));
      html.push('<tr class="' + cls + '">' + cells.map(function (v, k) {
        return '<td' + (k === 1 ? ' class="text"' : '') + '>' + esc(v) + '</td>'; }).join('') + '</tr>');
    }
    tbody.insertAdjacentHTML('beforeend', html.join(''));
  };
  var slice = 1000;
  for (var from = 0; from < n; from += slice) {
    (function (from) { later(null, function () { tableRows(from, Math.min(n, from + slice)); }); })(from);
  }
  finish();

  // Draws what the first screen shows, then the rest: boxes entering the view first, the others
  // one per idle moment, so the page answers input while it fills in.
  function finish() {
    root.setAttribute('data-plots', String(plotCount));
    var failed = function (e) { console.error('plot failed: ' + e); root.setAttribute('data-rendered', 'failed'); };
    var everything = function () { jobs.forEach(runJob); };
    window.addEventListener('beforeprint', everything);
    if (location.hash === '#all') everything();
    var fold = window.innerHeight || document.documentElement.clientHeight;
    jobs.forEach(function (job) { if (job.box && job.box.getBoundingClientRect().top < fold) runJob(job); });
    Promise.all(pending).then(function () {
      return new Promise(function (painted) { requestAnimationFrame(function () { setTimeout(painted, 0); }); });
    }).then(function () {
      performance.mark('boex-first-screen');
      root.setAttribute('data-open-ms', String(Math.round(performance.now())));
      opened(performance.timeOrigin + performance.now());
      var watcher = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (!e.isIntersecting || !e.target.boexJob) return;
          watcher.unobserve(e.target);
          runJob(e.target.boexJob);
        });
      }, { rootMargin: '200px' }) : null;
      jobs.forEach(function (job) { if (!job.done && job.box && watcher) watcher.observe(job.box); });
      var idle = window.requestIdleCallback ? function (f) { requestIdleCallback(f, { timeout: 200 }); }
                                            : function (f) { setTimeout(f, 0); };
      var next = function () {
        var job = jobs.filter(function (j) { return !j.done; })[0];
        if (job) { runJob(job); idle(next); return; }
        Promise.all(pending).then(function () {
          // Milliseconds from the start of navigation until every plot was drawn.
          root.setAttribute('data-render-ms', String(Math.round(performance.now())));
          root.setAttribute('data-rendered', 'true');
        }, failed);
      };
      idle(next);
    }, failed);
  }
})();
