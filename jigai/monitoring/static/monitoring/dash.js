// The monitoring dashboards' charts (ECharts 5, served from node_modules; no CDN, no inline script).
// Each <div data-chart="kind" data-source="id"> is drawn from the JSON of <script type="application/json"
// id="id"> that the page renders beside it (the same data as the table under the chart).
(function () {
  "use strict";
  var COLORS = { green: "#2e7d32", amber: "#f0a202", red: "#c62828", "": "#0b4f9c" };
  var BLUE = "#0b4f9c";
  var GREY = "#9aa5b1";

  function readData(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function levelColour(level) { return COLORS[level || ""] || BLUE; }

  function barOption(d, horizontal) {
    var values = (d.values || []).map(function (v, i) {
      return { value: v, itemStyle: { color: levelColour((d.levels || [])[i]) } };
    });
    var cat = { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 35, fontSize: 11 } };
    var val = { type: "value", name: d.unit || "%" };
    var series = [{ type: "bar", data: values, label: { show: d.labels.length <= 20, position: horizontal ? "right" : "top", fontSize: 10 } }];
    if (d.path !== undefined) {
      series[0].markLine = { symbol: "none", data: [horizontal ? { xAxis: d.path, name: "序时进度" } : { yAxis: d.path, name: "序时进度" }], label: { formatter: "序时进度 {c}%" }, lineStyle: { color: GREY, type: "dashed" } };
    }
    if (d.yoy && d.yoy.some(function (v) { return v !== null; }) && !horizontal) {
      series.push({ type: "line", name: "同比增长（%）", yAxisIndex: 1, data: d.yoy, symbolSize: 5, itemStyle: { color: GREY } });
    }
    var option = {
      // canvas tooltips throughout: the HTML one writes style="…" markup that the CSP (style-src 'self') refuses
      tooltip: { renderMode: "richText", trigger: "axis" },
      grid: { left: 50, right: 40, top: 30, bottom: horizontal ? 30 : 80, containLabel: true },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : [val],
      series: series
    };
    if (series.length > 1) {
      option.yAxis.push({ type: "value", name: "同比（%）", splitLine: { show: false } });
      option.legend = { top: 0, data: ["同比增长（%）"] };
    }
    return option;
  }

  function trendOption(d) {
    return {
      tooltip: { renderMode: "richText", trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 35, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value", name: d.unit },
      series: [
        { type: "line", name: d.year + "年累计", data: d.actual, itemStyle: { color: BLUE }, connectNulls: false },
        { type: "line", name: (d.year - 1) + "年同期", data: d.last_year, itemStyle: { color: GREY } },
        { type: "line", name: "序时进度", data: d.expected, lineStyle: { type: "dashed" }, itemStyle: { color: COLORS.amber }, symbol: "none" }
      ]
    };
  }

  function programmesOption(d) {
    // The four programmes side by side: one category per indicator, grouped by programme (a series each,
    // stacked so each programme's bars sit on its own categories).
    var labels = [], series = [];
    (d.groups || []).forEach(function (g) {
      g.labels.forEach(function (l) { labels.push(l); });
    });
    var offset = 0;
    (d.groups || []).forEach(function (g) {
      var data = labels.map(function () { return null; });
      g.labels.forEach(function (l, i) {
        var v = g.completion[i] !== null ? g.completion[i] : g.yoy[i];
        data[offset + i] = v;
      });
      offset += g.labels.length;
      series.push({ type: "bar", name: g.label, stack: "p", data: data, label: { show: true, position: "top", fontSize: 10 } });
    });
    return {
      tooltip: { renderMode: "richText", trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 35, bottom: 80, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: 30, fontSize: 11 } },
      yAxis: { type: "value", name: "完成率或同比（%）" },
      series: series
    };
  }

  // 融资与用地（四（二））: grouped (or stacked) bars in 万元, one series per figure, coloured by its tone.
  var TONES = { needed: "#8fb3de", approved: COLORS.amber, disbursed: BLUE, premium: BLUE, municipal: COLORS.green };

  function barsOption(d) {
    var many = (d.labels || []).length > 8;
    var series = (d.series || []).map(function (s) {
      var one = { type: "bar", name: s.name, data: s.values, itemStyle: { color: TONES[s.tone] || BLUE } };
      if (d.stack) one.stack = "s";
      else one.label = { show: !many, position: "top", fontSize: 10 };
      return one;
    });
    return {
      tooltip: { renderMode: "richText", trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 50, bottom: many ? 80 : 30, containLabel: true },
      xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: many ? 35 : 0, fontSize: 11 } },
      yAxis: { type: "value", name: d.unit || "万元" },
      series: series
    };
  }

  function mapData(d) {
    return d.rows.map(function (r) {
      return { name: r.name, value: r.value, code: r.code, url: r.url, level: r.level };
    });
  }

  function visualMap() {
    return {
      min: 0, max: 120, left: 10, bottom: 10, text: ["120%", "0%"], calculable: true,
      inRange: { color: [COLORS.red, COLORS.amber, "#8bc34a", COLORS.green] }
    };
  }

  function geoOption(d) {
    return {
      tooltip: { renderMode: "richText", trigger: "item", formatter: function (p) { return p.name + "：" + (p.value === undefined || isNaN(p.value) ? "无目标" : p.value + "%"); } },
      visualMap: visualMap(),
      series: [{ type: "map", map: "henan", roam: false, data: mapData(d), label: { show: true, fontSize: 10 }, emphasis: { label: { show: true } } }]
    };
  }

  function tileOption(d) {
    // No boundary data installed: a fixed grid of the 18 cities in their rough geographic layout.
    var names = {}, points = [];
    d.rows.forEach(function (r) { names[r.code] = r; });
    Object.keys(d.tiles).forEach(function (code) {
      var r = names[code];
      var pos = d.tiles[code];
      points.push({ value: [pos[0], 6 - pos[1], r && r.value !== null ? r.value : NaN], name: r ? r.name : code, url: r ? r.url : null });
    });
    return {
      tooltip: { renderMode: "richText", formatter: function (p) { return p.name + "：" + (isNaN(p.value[2]) ? "无目标" : p.value[2] + "%"); } },
      visualMap: Object.assign(visualMap(), { dimension: 2 }),
      xAxis: { type: "category", data: [0, 1, 2, 3, 4, 5], show: false },
      yAxis: { type: "category", data: [0, 1, 2, 3, 4, 5, 6], show: false },
      grid: { left: 20, right: 20, top: 10, bottom: 60 },
      series: [{ type: "heatmap", data: points, label: { show: true, formatter: function (p) { return p.name + "\n" + (isNaN(p.value[2]) ? "—" : p.value[2] + "%"); } }, itemStyle: { borderColor: "#fff", borderWidth: 3 } }]
    };
  }

  function clickThrough(chart, urls) {
    chart.on("click", function (p) {
      var url = (p.data && p.data.url) || (urls && urls[p.dataIndex]);
      if (url) window.location.href = url;
    });
  }

  function drawMap(el, d) {
    var chart = echarts.init(el);
    clickThrough(chart);
    fetch(d.geo_url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("no map"); return r.json(); })
      .then(function (geo) { echarts.registerMap("henan", geo); chart.setOption(geoOption(d)); el.setAttribute("data-drawn", "geo"); })
      .catch(function () { chart.setOption(tileOption(d)); el.setAttribute("data-drawn", "tiles"); });
    return chart;
  }

  function draw(el) {
    var d = readData(el.getAttribute("data-source"));
    if (!d || typeof echarts === "undefined") return null;
    var kind = el.getAttribute("data-chart");
    if (kind === "map") return drawMap(el, d);
    var chart = echarts.init(el);
    var option;
    if (kind === "trend") option = trendOption(d);
    else if (kind === "programmes") option = programmesOption(d);
    else if (kind === "ranking") { option = barOption(d, false); clickThrough(chart, d.urls); }
    else if (kind === "bars") { option = barsOption(d); clickThrough(chart, d.urls); }
    else option = barOption(d, d.labels && d.labels.length > 8);
    chart.setOption(option);
    el.setAttribute("data-drawn", kind);
    return chart;
  }

  function loadCards() {
    // The workbench's chart panels (<figure data-chart-url>): fetch the card, put it in, draw it — one
    // card after the other: concurrent requests of one session race on its save (SESSION_SAVE_EVERY_REQUEST).
    var chain = Promise.resolve();
    document.querySelectorAll("[data-chart-url]").forEach(function (fig) {
      if (fig.getAttribute("data-loaded")) return;
      fig.setAttribute("data-loaded", "1");
      var note = fig.querySelector("p");
      chain = chain.then(function () {
        return fetch(fig.getAttribute("data-chart-url"), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
          .then(function (html) {
            var holder = document.createElement("div");
            holder.innerHTML = html; // our own server-rendered, escaped fragment; its JSON blocks are inert
            if (note) note.remove();
            fig.appendChild(holder);
            init();
          })
          .catch(function () { if (note) note.textContent = "图表暂不可用。"; });
      });
    });
  }

  var resizing = [];

  function init() {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) return;
      var c = draw(el);
      if (c) resizing.push(c);
    });
  }

  function start() { init(); loadCards(); }

  window.addEventListener("resize", function () { resizing.forEach(function (c) { c.resize(); }); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("htmx:afterSettle", start);
})();
