// 融资统计: a bar chart of the needed / approved / disbursed figures (万元) from the page's JSON block.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("financing-chart");
    var data = document.getElementById("financing-chart-data");
    if (!box || !data || typeof echarts === "undefined") return;
    var d = JSON.parse(data.textContent);
    var chart = echarts.init(box);
    chart.setOption({
      // a canvas tooltip: the HTML one writes style="…" markup that the CSP (style-src 'self') refuses
      tooltip: { renderMode: "richText", trigger: "axis" },
      legend: { data: ["融资需求", "授信审批（已确认）", "放款（已确认）"] },
      xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: d.labels.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", name: "万元" },
      series: [
        { name: "融资需求", type: "bar", data: d.needed },
        { name: "授信审批（已确认）", type: "bar", data: d.approved },
        { name: "放款（已确认）", type: "bar", data: d.disbursed }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
