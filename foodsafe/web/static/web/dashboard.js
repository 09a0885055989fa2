/* foodsafe dashboard: draws the charts from the page's JSON (#dashboard-data) with the
   project's own copy of ECharts. No network access: everything it needs is on the page.

   Security: org-unit and indicator names come from imported ledgers, so they are hostile
   input. No value ever reaches HTML as a string: every tooltip is built from DOM nodes with
   textContent (tooltipNode below), and no chart uses ECharts' default HTML tooltip (its markup
   also carries inline style="" attributes, which the site's Content-Security-Policy refuses).
   Colours are set through element.style (CSSOM), which CSP allows. */
(function () {
  "use strict";

  var COLORS = {
    met: "#3a9d5d",
    not_met: "#c0392b",
    no_data: "#9aa5b1",
    evidence_needed: "#e0a800",
    info: "#4a7ab5",
    annual: "#7fa7d6",
    target: "#c0392b",
    line: "#8c1c13",
    forecast: "#8c1c13"
  };
  var PALETTE = ["#8c1c13", "#0b5394", "#3a9d5d", "#e0a800", "#6a4c93", "#1b998b",
                 "#d1495b", "#5f6caf", "#8d6a9f", "#2e4057"];
  var FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", ' +
             '"WenQuanYi Micro Hei", system-ui, sans-serif';
  var charts = [];

  function init(el) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }

  function niceCeil(x) {
    if (!(x > 0)) { return 1; }
    var power = Math.pow(10, Math.floor(Math.log10(x)));
    var steps = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= x) { return steps[i] * power; }
    }
    return 10 * power;
  }

  function fmt(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    var text = Math.round(value * 100) / 100;
    return unit === "%" ? text + "%" : text + " " + unit;
  }

  /* One tooltip as DOM nodes: a title line and one line per row {color, text}. Text goes in
     with textContent only, so "<img onerror=...>" in a name shows as those characters. */
  function tooltipNode(title, rows) {
    var box = document.createElement("div");
    box.className = "chart-tooltip";
    if (title !== null && title !== undefined && title !== "") {
      var head = document.createElement("div");
      head.className = "chart-tooltip-title";
      head.textContent = String(title);
      box.appendChild(head);
    }
    rows.forEach(function (row) {
      var line = document.createElement("div");
      if (row.color) {
        var marker = document.createElement("span");
        marker.className = "chart-tooltip-marker";
        marker.style.backgroundColor = typeof row.color === "string" ? row.color : "#999";
        line.appendChild(marker);
      }
      line.appendChild(document.createTextNode(String(row.text)));
      box.appendChild(line);
    });
    return box;
  }

  /* The axis tooltip of a plain chart: the category, then "series: value" per series. */
  function axisTooltip(valueText) {
    return function (params) {
      if (!params || !params.length) { return ""; }
      return tooltipNode(params[0].name, params.map(function (p) {
        return { color: p.color, text: p.seriesName + "：" + valueText(p.value) };
      }));
    };
  }

  /* The width a category label may take: its share of the chart, so that at 375 px five
     groups' names wrap under their own bars instead of running into each other (new-user
     F16); at most `most` px on a wide screen. */
  function labelWidth(el, count, most) {
    var share = Math.floor((el.clientWidth - 48) / Math.max(count, 1)) - 4;
    return Math.max(36, Math.min(most, share));
  }

  function drawGroups(data) {
    var el = document.getElementById("chart-groups");
    if (!el) { return; }
    var order = ["met", "not_met", "no_data", "evidence_needed", "annual"];
    init(el).setOption({
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                 formatter: axisTooltip(function (v) { return v === null || v === undefined ? "—" : v; }) },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.groups.categories,
               axisLabel: { interval: 0, overflow: "break", lineHeight: 14,
                            width: labelWidth(el, data.groups.categories.length, 90),
                            fontSize: el.clientWidth < 480 ? 10 : 12 } },
      yAxis: { type: "value", minInterval: 1, name: "" },
      series: order.map(function (status) {
        return {
          name: data.labels.statuses[status], type: "bar", stack: "items",
          itemStyle: { color: COLORS[status] }, barMaxWidth: 56,
          label: { show: true, formatter: function (p) { return p.value ? p.value : ""; } },
          data: data.groups.series[status]
        };
      })
    });
  }

  function drawChildren(data) {
    var el = document.getElementById("chart-children");
    var children = data.children;
    if (!el || !children.series.length) { return; }
    init(el).setOption({
      textStyle: { fontFamily: FONT },
      animation: false,
      color: PALETTE,
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (params) {
          if (!params.length) { return ""; }
          var i = params[0].dataIndex;
          return tooltipNode(children.indicators[i], params.map(function (p) {
            var s = children.series[p.seriesIndex];
            return {
              color: p.color,
              text: s.name + "：" + fmt(s.values[i], children.units[i]) +
                    (s.achievement[i] === null ? "" : "（" + s.achievement[i] + "%）")
            };
          }));
        }
      },
      legend: { bottom: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 16, top: 16, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: children.indicators,
               axisLabel: { interval: 0, overflow: "break", lineHeight: 14,
                            width: labelWidth(el, children.indicators.length, 84),
                            fontSize: el.clientWidth < 480 ? 10 : 11 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: children.series.map(function (s, n) {
        var series = { name: s.name, type: "bar", data: s.achievement, barMaxWidth: 18 };
        if (n === 0) {
          series.markLine = {
            silent: true, symbol: "none",
            lineStyle: { color: COLORS.target, type: "dashed" },
            label: { formatter: data.labels.on_target, position: "insideEndTop" },
            data: [{ yAxis: 100 }]
          };
        }
        return series;
      })
    });
  }

  function drawTrend(data, el) {
    var ind = data.trend[Number(el.getAttribute("data-indicator"))];
    if (!ind) { return; }
    var months = data.months;
    var actual = months.map(function (_, i) { return i < ind.values.length ? ind.values[i] : null; });
    var last = ind.values.length - 1;
    var forecast = months.map(function () { return null; });
    if (ind.forecast !== null && last >= 0 && ind.values[last] !== null && last < 11) {
      forecast[last] = ind.values[last];
      forecast[11] = ind.forecast;
    }
    var series = [{
      name: data.labels.actual, type: "line", data: actual, connectNulls: false,
      symbolSize: 5, itemStyle: { color: COLORS.line }, lineStyle: { width: 2 }
    }, {
      name: data.labels.forecast, type: "line", data: forecast, connectNulls: true,
      symbol: "emptyCircle", symbolSize: 5, itemStyle: { color: COLORS.forecast },
      lineStyle: { type: "dashed", width: 1.5 }
    }];
    if (ind.target !== null) {
      series[0].markLine = {
        silent: true, symbol: "none",
        lineStyle: { color: COLORS.target, type: "dashed" },
        label: { formatter: data.labels.target + " " + fmt(ind.target, ind.unit),
                 position: "insideEndTop", fontSize: 11 },
        data: [{ yAxis: ind.target }]
      };
    }
    var values = ind.values.concat([ind.forecast, ind.target]).filter(function (v) {
      return v !== null && v !== undefined;
    });
    var hasData = ind.values.some(function (v) { return v !== null && v !== undefined; });
    // The target line must be inside the axis: ECharts sizes the axis on the data alone.
    var top = values.length ? Math.max.apply(null, values) : 1;
    var yMax = ind.unit === "%" && top <= 100 ? 100 : niceCeil(top * 1.05);
    init(el).setOption({
      textStyle: { fontFamily: FONT },
      animation: false,
      tooltip: {
        trigger: "axis",
        formatter: axisTooltip(function (v) { return fmt(v, ind.unit); })
      },
      grid: { left: 6, right: 14, top: 18, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: months, boundaryGap: false,
               axisLabel: { fontSize: 10, interval: 1 } },
      yAxis: { type: "value", min: 0, max: yMax, axisLabel: { fontSize: 10 } },
      graphic: hasData ? [] : [{
        type: "text", left: "center", top: "middle",
        style: { text: data.labels.no_data, fill: "#9aa5b1", fontSize: 14, fontFamily: FONT }
      }],
      series: series
    });
  }

  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.echarts) { return; }
    var data = JSON.parse(node.textContent);
    drawGroups(data);
    drawChildren(data);
    Array.prototype.forEach.call(document.querySelectorAll(".chart-trend"), function (el) {
      drawTrend(data, el);
    });
    document.body.setAttribute("data-charts-ready", String(charts.length));
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
