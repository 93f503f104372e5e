// Draws the overview's charts from the JSON block the page carries; the same data is in
// each chart's "Data" table, so nothing is lost without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var brand = "#1f3a8a", green = "#1f8a4c", red = "#c0392b", grey = "#b8bfcc";
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.color = "#16181d";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }
  function pluck(rows, key) { return rows.map(function (r) { return r[key]; }); }
  var noLegend = { legend: { display: false } };

  draw("chart-refdomains-time", {
    type: "line",
    data: { labels: pluck(data.refdomains_over_time, "date"),
             datasets: [{ label: "Referring domains", data: pluck(data.refdomains_over_time, "ref_domains"),
                          borderColor: brand, backgroundColor: brand, tension: 0.2, pointRadius: 4 }] },
    options: { plugins: noLegend, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-dr-distribution", {
    type: "bar",
    data: { labels: pluck(data.dr_distribution, "band"),
             datasets: [{ label: "Referring domains", data: pluck(data.dr_distribution, "ref_domains"),
                          backgroundColor: brand }] },
    options: { plugins: noLegend, scales: { y: { beginAtZero: true, ticks: { precision: 0 } },
                                            x: { title: { display: true, text: "DR" } } } }
  });
  draw("chart-anchors", {
    type: "bar",
    data: { labels: data.top_anchors.map(function (a) { return a.anchor || "(empty)"; }),
             datasets: [{ label: "Referring domains", data: pluck(data.top_anchors, "ref_domains"),
                          backgroundColor: brand }] },
    options: { indexAxis: "y", plugins: noLegend, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-newlost", {
    type: "bar",
    data: { labels: data.history.map(function (r) { return String(r.period).slice(0, 10); }),
             datasets: [{ label: "New links", data: pluck(data.history, "new_links"), backgroundColor: green },
                        { label: "Lost links", data: data.history.map(function (r) { return -r.lost_links; }),
                          backgroundColor: red }] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } }
  });
  draw("chart-followed", {
    type: "doughnut",
    data: { labels: ["Followed", "Not followed"],
             datasets: [{ data: [data.followed_share, 1 - data.followed_share].map(function (v) {
               return Math.round(v * 1000) / 10; }), backgroundColor: [brand, grey] }] },
    options: { plugins: { tooltip: { callbacks: { label: function (c) { return c.label + ": " + c.raw + "%"; } } } } }
  });
}());
