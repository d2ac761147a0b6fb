// The overview's charts. The numbers come from the page's JSON block (json_script), never from
// an inline script; hidden numbers arrive as null with the text the tables show ("<5", "—").
// A point with a URL opens the filtered case list when clicked.
(function () {
  "use strict";

  const source = document.getElementById("overview-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const phone = window.matchMedia("(max-width: 575.98px)").matches;
  const charts = [];

  function text(item) {
    return item && item.text != null ? item.text : "";
  }

  // Tooltips are drawn on the canvas (renderMode "richText"): ECharts' HTML tooltips carry
  // style attributes the Content-Security-Policy blocks, and names (schools, types) stay text.
  function tooltip(params) {
    const list = Array.isArray(params) ? params : [params];
    return list
      .map((p) => {
        const series = p.seriesName && list.length > 1 ? `${p.seriesName}：` : "";
        return `${series}${p.name ? p.name + " " : ""}${text(p.data)}`;
      })
      .join("\n");
  }

  const TOOLTIP = { renderMode: "richText", formatter: tooltip };

  function chartIn(name, height, option) {
    const el = document.querySelector(`[data-chart="${name}"]`);
    if (!el) return;
    el.style.height = `${height}px`; // element styles set from script are allowed by the CSP
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ animation: false, tooltip: TOOLTIP }, option));
    chart.on("click", (p) => {
      if (p.data && p.data.url) window.location.href = p.data.url;
    });
    charts.push(chart);
  }

  function points(list) {
    return list.map((item) => Object.assign({}, item, { value: item.value }));
  }

  chartIn("funnel", 300, {
    series: [{
      type: "funnel", sort: "none", left: "5%", width: "90%", minSize: "8%", gap: 2,
      label: { show: true, position: "inside", formatter: (p) => `${p.name} ${text(p.data)}` },
      data: data.funnel.map((item) => Object.assign({}, item, { value: item.value == null ? 0 : item.value })),
    }],
  });

  chartIn("levels", 260, {
    legend: { bottom: 0, type: "scroll" },
    series: [{
      type: "pie", radius: phone ? ["30%", "60%"] : ["35%", "65%"], center: ["50%", "45%"],
      label: { formatter: (p) => `${p.name}\n${text(p.data)}` },
      data: data.levels.map((item) => Object.assign({}, item, { value: item.value == null ? 0 : item.value })),
    }],
  });

  const groups = data.matrix.groups;
  chartIn("matrix", Math.max(240, 80 + groups.length * (phone ? 34 : 28)), {
    tooltip: Object.assign({ trigger: "axis", axisPointer: { type: "shadow" } }, TOOLTIP),
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: groups, inverse: true, axisLabel: { width: phone ? 90 : 160, overflow: "truncate" } },
    series: data.matrix.series.map((s) => ({ name: s.name, type: "bar", stack: "types", data: points(s.data) })),
  });

  chartIn("cohorts", 260, {
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.cohorts.labels },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [{
      type: "bar",
      label: { show: true, position: "top", formatter: (p) => p.data.share },
      data: data.cohorts.data.map((item) => Object.assign({}, item, {
        value: item.share && item.share.endsWith("%") ? parseFloat(item.share) : null,
        text: `${item.text} (${item.share})`,
      })),
    }],
  });

  const trend = data.trend;
  chartIn("trend", 260, {
    tooltip: Object.assign({ trigger: "axis" }, TOOLTIP),
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: trend.labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: trend.names[0], type: "line", connectNulls: false, data: points(trend.flagged) },
      { name: trend.names[1], type: "line", connectNulls: false, data: points(trend.new_cases) },
    ],
  });

  if (typeof ResizeObserver !== "undefined") {
    const observer = new ResizeObserver(() => charts.forEach((c) => c.resize()));
    charts.forEach((c) => observer.observe(c.getDom()));
  } else {
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  }
})();
