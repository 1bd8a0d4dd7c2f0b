// gongkai serve: the upload page. Plain DOM (no framework, nothing loaded from outside); every
// text that comes from a document is set with textContent, never parsed as HTML.
"use strict";

const STATUS_TEXT = { pass: "通过", fail: "未通过", not_assessable: "无法核对" };
const COLORS = ["#0b5394", "#a10000", "#38761d", "#7f3f98", "#b45f06", "#134f5c", "#5b5b5b"];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function headers() {
  const key = document.getElementById("api-key").value.trim();
  return key ? { Authorization: "Bearer " + key } : {};
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

async function post(path, files) {
  const body = new FormData();
  for (const [blob, name] of files) body.append("file", blob, name);
  const response = await fetch(path, { method: "POST", body, headers: headers() });
  if (response.ok) return response;
  let message = "HTTP " + response.status;
  try {
    const data = await response.json();
    message = data.error.message + "（" + data.error.kind + "）";
  } catch (ignored) { /* not JSON */ }
  throw new Error(message);
}

function download(text, name, type, label) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return el("a", { href: url, download: name }, label);
}

function base64Bytes(b64) {
  const raw = atob(b64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function figureValue(value) {
  if (value === null || value === undefined) return "空";
  return String(value);
}

function renderChecks(data, prefix) {
  const failing = data.checks.filter((c) => c.status === "fail");
  const counts = { pass: 0, fail: 0, not_assessable: 0 };
  for (const c of data.checks) counts[c.status] = (counts[c.status] || 0) + 1;
  const section = el("div", { class: "part" },
    el("h3", { id: prefix + "checks" }, "勾稽核对"),
    el("p", {}, data.checks.length
      ? `通过 ${counts.pass} 项，未通过 ${counts.fail} 项，无法核对 ${counts.not_assessable} 项。`
      : "未识别出国家格式的统计表，无可核对项。"));
  if (failing.length) {
    section.append(el("ul", { class: "failing" }, failing.map((c) => el("li", {},
      c.href ? el("a", { href: "#" + prefix + c.href.slice(1) }, `${c.id} ${c.scope}`) : `${c.id} ${c.scope}`,
      `：应为 ${c.expected}，实为 ${c.found}`))));
  }
  return section;
}

function renderAudit(data, prefix) {
  const section = el("div", { class: "part" }, el("h3", { id: prefix + "audit" }, "审计发现"));
  if (!data.audit) {
    section.append(el("p", { class: "muted" }, "此版本的 gongkai 未提供审计功能。"));
    return section;
  }
  const frame = el("iframe", { title: "审计发现：" + data.file, sandbox: "" });
  frame.srcdoc = data.audit.html;
  section.append(frame);
  return section;
}

function renderFigures(data, prefix) {
  const failingTargets = new Set(data.checks.filter((c) => c.status === "fail" && c.href).map((c) => c.href.slice(1)));
  const section = el("div", { class: "part" }, el("h3", { id: prefix + "figures" }, "各表数字"));
  if (!data.figures.length) section.append(el("p", {}, "未读出统计表数字。"));
  for (const table of data.figures) {
    section.append(el("table", { class: "figures" },
      el("caption", {}, table.caption),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "项目"), el("th", { scope: "col" }, "数字"), el("th", { scope: "col" }, "说明"))),
      el("tbody", {}, table.rows.map((row) => el("tr", { id: prefix + row.id, class: failingTargets.has(row.id) ? "fail" : null },
        el("th", { scope: "row" }, row.label),
        el("td", { class: "num" }, figureValue(row.value)),
        el("td", {}, row.null_reason || (failingTargets.has(row.id) ? "未通过核对" : "")))))));
  }
  return section;
}

function renderReport(data, index) {
  const prefix = `r${index}-`;
  const title = data.meta.title || data.file;
  // an article, not a section: two uploads of one report must not make two landmarks of one name
  const section = el("article", { class: "report", "aria-labelledby": prefix + "title" },
    el("h2", { id: prefix + "title" }, title),
    el("p", {}, `文件：${data.file}；机关：${data.meta.organ || "未识别"}；年度：${data.meta.year || "未识别"}；模板：${data.template || "无"}`));
  if (data.warning) section.append(el("p", { class: "error" }, "注意：源文件部分内容缺损：" + data.warning));
  const outputs = data.outputs;
  section.append(el("p", { class: "downloads" }, "下载：",
    download(outputs.md, data.file + ".md", "text/markdown", "Markdown"),
    download(outputs.yaml, data.file + ".yaml", "application/yaml", "YAML"),
    download(outputs.html, data.file + ".html", "text/html", "网页"),
    download(base64Bytes(outputs.docx_base64), data.file + ".docx",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word")));
  section.append(renderChecks(data, prefix), renderAudit(data, prefix), renderFigures(data, prefix));
  const frame = el("iframe", { title: "报告网页版本：" + title, sandbox: "" });
  frame.srcdoc = outputs.html;
  section.append(el("div", { class: "part" }, el("h3", { id: prefix + "page" }, "报告全文（网页版本）"), frame));
  return section;
}

function renderError(file, message) {
  return el("article", { class: "report" }, el("h2", {}, file), el("p", { class: "error" }, "无法转换：" + message));
}

function chart(views, paths, labels) {
  const years = views.map((v) => v.meta.year);
  const values = paths.flatMap((p) => views.map((v) => v.main_figures[p].value)).filter((x) => typeof x === "number");
  const top = Math.max(1, ...values);
  const W = 640, H = 320, L = 50, R = 20, T = 20, B = 40;
  // x by year where every report has its own year, so 2019, 2020, 2022 are not drawn evenly
  // spaced as if no year were missing; else (a year unknown or repeated) by position
  const byYear = years.every((year) => Number.isInteger(year)) && new Set(years).size === years.length;
  const first = byYear ? Math.min(...years) : 0;
  const span = byYear ? Math.max(...years) - first : views.length - 1;
  const x = (i) => L + (span === 0 ? 0 : ((byYear ? years[i] - first : i) * (W - L - R)) / span);
  const y = (v) => H - B - (v / top) * (H - T - B);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-labelledby": "chart-title" },
    svg("title", { id: "chart-title" }, "主要数字的年度变化（数字见旁边的表格）"),
    svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#1a1a1a" }),
    svg("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#1a1a1a" }),
    svg("text", { x: L - 6, y: T + 4, "text-anchor": "end", "font-size": 12, fill: "#1a1a1a" }, top),
    svg("text", { x: L - 6, y: H - B + 4, "text-anchor": "end", "font-size": 12, fill: "#1a1a1a" }, 0),
    years.map((year, i) => svg("text", { x: x(i), y: H - B + 18, "text-anchor": "middle", "font-size": 12, fill: "#1a1a1a" }, year ?? "?")));
  paths.forEach((path, n) => {
    const points = views.map((v, i) => [i, v.main_figures[path].value]).filter(([, v]) => typeof v === "number");
    const color = COLORS[n % COLORS.length];
    if (points.length > 1) {
      root.append(svg("polyline", { points: points.map(([i, v]) => `${x(i)},${y(v)}`).join(" "), fill: "none", stroke: color, "stroke-width": 2 }));
    }
    for (const [i, v] of points) root.append(svg("circle", { cx: x(i), cy: y(v), r: 3.5, fill: color }));
  });
  const legend = el("ul", { class: "legend" }, paths.map((path, n) => el("li", {},
    el("span", { style: `color:${COLORS[n % COLORS.length]}`, "aria-hidden": "true" }, "■ "), labels[path])));
  return el("div", { class: "chart", "aria-hidden": null }, root, legend);
}

async function renderComparison(views) {
  const box = document.getElementById("comparison");
  box.replaceChildren();
  const sorted = [...views].sort((a, b) => (a.meta.year || 0) - (b.meta.year || 0));
  const paths = Object.keys(sorted[0].main_figures);
  const labels = Object.fromEntries(paths.map((p) => [p, sorted[0].main_figures[p].label]));
  const table = el("table", { class: "trend" },
    el("caption", {}, "主要数字（按年度）"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "项目"), sorted.map((v) => el("th", { scope: "col" }, String(v.meta.year ?? v.file))))),
    el("tbody", {}, paths.map((p) => el("tr", {}, el("th", { scope: "row" }, labels[p]),
      sorted.map((v) => el("td", { class: "num" }, figureValue(v.main_figures[p].value)))))));
  const section = el("section", { class: "compare", "aria-labelledby": "compare-title" },
    el("h2", { id: "compare-title" }, "年度比较"),
    el("div", { class: "chart-and-table" }, chart(sorted, paths, labels), table));
  box.append(section);
  try {
    // the canonical YAML already converted (read back at once, whatever its name), under the upload's name
    const response = await post("/v1/compare?to=html", views.map((v) => [new Blob([v.outputs.yaml], { type: "application/yaml" }), v.file]));
    const frame = el("iframe", { title: "年度比较与结转核对", sandbox: "" });
    frame.srcdoc = await response.text();
    section.append(el("h3", {}, "变化与结转核对"), frame);
  } catch (error) {
    section.append(el("p", { class: "error" }, "无法比较：" + error.message));
  }
}

async function convertFiles(files) {
  const results = document.getElementById("results");
  results.replaceChildren();
  document.getElementById("comparison").replaceChildren();
  if (!files.length) {
    setStatus("请先选择文件。");
    return;
  }
  setStatus(`正在转换 ${files.length} 个文件……`);
  const outcomes = await Promise.all(files.map(async (file) => {
    try {
      return { file, data: await (await post("/v1/view", [[file, file.name]])).json() };
    } catch (error) {
      return { file, error: error.message };
    }
  }));
  const views = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.data) {
      views.push(outcome.data);
      results.append(renderReport(outcome.data, index));
    } else {
      results.append(renderError(outcome.file.name, outcome.error));
    }
  });
  const failed = outcomes.length - views.length;
  setStatus(`完成：转换 ${views.length} 个文件` + (failed ? `，${failed} 个无法转换。` : "。"));
  if (views.length >= 2) await renderComparison(views);
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload-form");
  const input = document.getElementById("files");
  const zone = document.getElementById("drop-zone");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    convertFiles([...input.files]);
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    convertFiles([...event.dataTransfer.files]);
  });
});
