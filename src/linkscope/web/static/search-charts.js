// Draws the Content Explorer's chart of matching pages by month of publication from the JSON
// block the page carries; the same figures are in the chart's "Data" table.
(function () {
  "use strict";
  var source = document.getElementById("search-chart-data");
  var canvas = document.getElementById("chart-months");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var months = JSON.parse(source.textContent).months;
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.color = "#16181d";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  new Chart(canvas, {
    type: "bar",
    data: { labels: months.map(function (r) { return r.month; }),
             datasets: [{ label: "Pages", data: months.map(function (r) { return r.pages; }),
                          backgroundColor: "#1f3a8a" }] },
    options: { plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
}());
