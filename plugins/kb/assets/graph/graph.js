/* The graph page: draws graph.json (format in kb/graphview.py) with sigma.js and ForceAtlas2.
 * Every title and tag is inserted as text (textContent or canvas fillText), never as HTML. */
(function () {
  "use strict";

  const VENDOR = new URL("vendor/kb-graph-vendor.min.js", document.currentScript.src).href; // next to this script
  let vendor = null;
  const root = document.querySelector(".kb-graph:not([data-state])");
  if (!root) return;
  root.dataset.state = "loading";

  const $ = (selector) => root.querySelector(selector);
  const stage = $(".kb-graph__canvas");
  const search = $(".kb-graph__search");
  const results = $(".kb-graph__results");
  const status = $(".kb-graph__status");
  const legend = $(".kb-graph__legend");
  const siteRoot = new URL(root.dataset.root || "./", location.href);
  const OTHER = "#8c8c8c";
  const SYNC_LAYOUT_MAX = 500; // above this many notes the layout runs in a worker while the graph is shown
  const LAYOUT_SYNC_MS = 500; // at least; more when drawing is slow (see syncLayout)
  const SEARCH_REDRAW_MS = 120;
  const MAX_RESULTS = 8;

  const state = { hovered: null, selected: null, highlight: null, focusNeighbours: new Set(), activeTag: null };
  let renderer = null;
  let layout = null; // the worker layout of a large graph while it runs: {worker, copy, sync, timer}
  let theme = readTheme();

  function fail(message) {
    root.dataset.state = "error";
    status.textContent = message;
  }

  // Material's colours are CSS custom properties (hsla, rgba...); the canvas turns any of them into rgb numbers.
  function readTheme() {
    const style = getComputedStyle(root);
    const context = document.createElement("canvas").getContext("2d");
    const rgb = (value, fallback) => {
      context.fillStyle = fallback;
      context.fillStyle = value.trim() || fallback;
      const colour = context.fillStyle; // "#rrggbb" or "rgba(r, g, b, a)"
      return colour[0] === "#"
        ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16))
        : colour.match(/[\d.]+/g).slice(0, 3).map(Number);
    };
    const fg = rgb(style.getPropertyValue("--md-default-fg-color"), style.color || "#000");
    const bg = rgb(style.getPropertyValue("--md-default-bg-color"), "#fff");
    // Opaque mixes, not alpha: sigma's WebGL blending does not premultiply, so a light translucent edge
    // would show at full strength on a dark background.
    const mix = (share) => `rgb(${[0, 1, 2].map((i) => Math.round(bg[i] + (fg[i] - bg[i]) * share)).join(", ")})`;
    return {
      text: mix(0.87),
      edge: mix(0.16),
      edgeStrong: mix(0.55),
      dim: mix(0.12),
      background: mix(0),
      shadow: mix(0.4),
      font: style.fontFamily || "sans-serif",
    };
  }

  function seededRandom(seed) {
    return function () {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function buildGraph(data) {
    const graph = new vendor.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    const tags = Array.isArray(data.t) ? data.t : [];
    const colours = Array.isArray(data.c) ? data.c : [];
    const groups = Math.max(colours.length, 1);
    const random = seededRandom(42);
    (data.n || []).forEach((entry, index) => {
      const noteTags = Array.isArray(entry[2]) ? entry[2] : [];
      const group = noteTags.length && noteTags[0] < colours.length ? noteTags[0] : -1;
      // Start each colour group in its own sector: ForceAtlas2 then converges in fewer steps.
      const angle = (2 * Math.PI * (group < 0 ? groups : group)) / (groups + 1) + random() * 0.6;
      const distance = 0.5 + random();
      graph.addNode(String(index), {
        label: String(entry[0]),
        url: String(entry[1]),
        tags: noteTags,
        color: group < 0 ? OTHER : colours[group],
        x: Math.cos(angle) * distance * 100 + random(),
        y: Math.sin(angle) * distance * 100 + random(),
      });
    });
    const edges = data.e || [];
    for (let i = 0; i + 1 < edges.length; i += 2) {
      const source = String(edges[i]);
      const target = String(edges[i + 1]);
      if (source !== target && graph.hasNode(source) && graph.hasNode(target)) graph.mergeEdge(source, target);
    }
    // Dots shrink as the vault grows, so that thousands of them do not cover each other.
    const scale = Math.max(0.35, Math.min(1, 20 / Math.sqrt(graph.order)));
    graph.forEachNode((node) => graph.setNodeAttribute(node, "size", scale * (3 + 1.6 * Math.sqrt(graph.degree(node)))));
    return { graph, tags, colours };
  }

  // Labels skip any place already taken by another label in this frame, flip to the left of their dot
  // at the right edge, and carry a halo in the background colour so that edges do not cross the text.
  let labelBoxes = [];
  function drawLabel(context, data, settings) {
    if (!data.label) return;
    const size = settings.labelSize;
    context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    const width = context.measureText(data.label).width;
    let x = data.x + data.size + 3;
    if (x + width > stage.clientWidth) x = data.x - data.size - 3 - width;
    const box = [x - 2, data.y - size / 2 - 2, x + width + 2, data.y + size / 2 + 2];
    if (labelBoxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) return;
    labelBoxes.push(box);
    context.lineJoin = "round";
    context.lineWidth = 3;
    context.strokeStyle = theme.background;
    context.strokeText(data.label, x, data.y + size / 3);
    context.fillStyle = theme.text;
    context.fillText(data.label, x, data.y + size / 3);
  }

  function drawHover(context, data, settings) {
    const size = settings.labelSize;
    context.font = `${settings.labelWeight} ${size}px ${settings.labelFont}`;
    context.beginPath();
    context.arc(data.x, data.y, data.size + 3, 0, Math.PI * 2);
    context.fillStyle = theme.background;
    context.shadowBlur = 6;
    context.shadowColor = theme.shadow;
    context.fill();
    if (data.label) {
      const width = context.measureText(data.label).width;
      const x = data.x + data.size + 4;
      context.beginPath();
      if (context.roundRect) context.roundRect(x - 3, data.y - size / 2 - 4, width + 8, size + 8, 4);
      else context.rect(x - 3, data.y - size / 2 - 4, width + 8, size + 8);
      context.fill();
      context.shadowBlur = 0;
      context.fillStyle = theme.text;
      context.fillText(data.label, x + 1, data.y + size / 3);
    }
    context.shadowBlur = 0;
  }

  function focusNode() {
    return state.hovered || state.selected;
  }

  function nodeReducer(node, attributes) {
    const shown = { ...attributes };
    const focus = focusNode();
    const inHighlight = state.highlight && state.highlight.has(node);
    if (node === focus) {
      Object.assign(shown, { highlighted: true, forceLabel: true, zIndex: 3 });
    } else if (focus && state.focusNeighbours.has(node)) {
      Object.assign(shown, { forceLabel: state.focusNeighbours.size <= 40, zIndex: 2 });
    } else if (inHighlight) {
      Object.assign(shown, { highlighted: state.highlight.size <= 50, forceLabel: state.highlight.size <= 20, zIndex: 2 });
    } else if (focus || state.highlight) {
      Object.assign(shown, { color: theme.dim, label: "", zIndex: 0 });
    }
    return shown;
  }

  function edgeReducer(edge, attributes) {
    const focus = focusNode();
    if (focus) {
      return renderer.getGraph().hasExtremity(edge, focus)
        ? { ...attributes, color: theme.edgeStrong, size: 1.5, zIndex: 1 }
        : { ...attributes, hidden: true };
    }
    if (state.highlight) {
      const [source, target] = renderer.getGraph().extremities(edge);
      return state.highlight.has(source) && state.highlight.has(target) ? attributes : { ...attributes, hidden: true };
    }
    return attributes;
  }

  function redraw() {
    if (!renderer) return;
    const focus = focusNode();
    state.focusNeighbours = focus ? new Set(renderer.getGraph().neighbors(focus)) : new Set();
    renderer.refresh({ skipIndexation: true });
  }

  function setStatus(graph, extra) {
    status.textContent = "";
    status.append(`${graph.order} notes · ${graph.size} links`);
    if (extra) status.append(" · ", extra);
  }

  function openNote(node, newTab) {
    const url = new URL(renderer.getGraph().getNodeAttribute(node, "url"), siteRoot);
    if (newTab) window.open(url.href, "_blank", "noopener");
    else location.assign(url.href);
  }

  function select(node) {
    const graph = renderer.getGraph();
    state.selected = node;
    redraw();
    if (!node) return setStatus(graph);
    const link = document.createElement("a");
    link.href = new URL(graph.getNodeAttribute(node, "url"), siteRoot).href;
    link.textContent = `open “${graph.getNodeAttribute(node, "label")}”`;
    setStatus(graph, link);
    // Centre the note, zoomed so that its neighbours stay in view.
    const at = renderer.getNodeDisplayData(node);
    let reach = 0.05;
    for (const other of graph.neighbors(node)) {
      const there = renderer.getNodeDisplayData(other);
      reach = Math.max(reach, Math.abs(there.x - at.x), Math.abs(there.y - at.y));
    }
    renderer.getCamera().animate({ x: at.x, y: at.y, ratio: Math.min(1, 2.4 * reach) }, { duration: 400 });
  }

  // Search: every title containing the words typed is highlighted; the list offers the best matches.
  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  let matches = [];
  let active = -1;
  let redrawTimer = null;

  function rank(graph, query) {
    const found = [];
    graph.forEachNode((node, attributes) => {
      const title = fold(attributes.label);
      const at = title.indexOf(query);
      if (at < 0) return;
      const wordStart = at === 0 || /[^a-z0-9]/.test(title[at - 1]);
      found.push([at === 0 ? 0 : wordStart ? 1 : 2, -graph.degree(node), title, node]);
    });
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    return found.map((item) => item[3]);
  }

  function showResults() {
    const graph = renderer.getGraph();
    results.replaceChildren();
    matches.slice(0, MAX_RESULTS).forEach((node, index) => {
      const item = document.createElement("li");
      item.id = `kb-graph-result-${index}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", String(index === active));
      item.textContent = graph.getNodeAttribute(node, "label");
      item.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the focus in the search box
        choose(node);
      });
      results.append(item);
    });
    const open = results.children.length > 0;
    results.hidden = !open;
    search.setAttribute("aria-expanded", String(open));
    if (active >= 0 && open) search.setAttribute("aria-activedescendant", `kb-graph-result-${active}`);
    else search.removeAttribute("aria-activedescendant");
  }

  function onSearch() {
    const query = fold(search.value.trim());
    state.activeTag = null;
    updateLegend();
    matches = query ? rank(renderer.getGraph(), query) : [];
    active = matches.length ? 0 : -1;
    state.highlight = query ? new Set(matches) : null;
    state.selected = null;
    showResults();
    // Redrawing a large graph takes a while: let the list show first, and redraw once typing pauses.
    clearTimeout(redrawTimer);
    redrawTimer = setTimeout(redraw, SEARCH_REDRAW_MS);
    const graph = renderer.getGraph();
    if (query) setStatus(graph, matches.length === 1 ? "1 match" : `${matches.length} matches`);
    else setStatus(graph);
  }

  function choose(node) {
    search.value = renderer.getGraph().getNodeAttribute(node, "label");
    matches = [];
    state.highlight = null;
    showResults();
    select(node);
  }

  function onSearchKey(event) {
    const shown = Math.min(matches.length, MAX_RESULTS);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!shown) return;
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : shown - 1)) % shown;
      showResults();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0 && matches[active]) choose(matches[active]);
      else if (state.selected) openNote(state.selected, event.ctrlKey || event.metaKey);
    } else if (event.key === "Escape") {
      search.value = "";
      onSearch();
      select(null);
    }
  }

  // Legend: one button per colour group; pressing it highlights every note carrying that tag.
  function buildLegend(graph, tags, colours) {
    const counts = colours.map(() => 0);
    let others = 0;
    graph.forEachNode((node, attributes) => {
      const first = attributes.tags[0];
      if (first !== undefined && first < colours.length) counts[first] += 1;
      else others += 1;
    });
    const entries = colours.map((colour, index) => [index, tags[index], colour, counts[index]]);
    if (others) entries.push([-1, "other", OTHER, others]);
    legend.replaceChildren();
    for (const [index, name, colour, count] of entries) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.tag = String(index);
      const swatch = document.createElement("span");
      swatch.className = "kb-graph__swatch";
      swatch.style.background = colour;
      const text = document.createElement("span");
      text.textContent = String(name);
      const number = document.createElement("span");
      number.className = "kb-graph__count";
      number.textContent = String(count);
      button.append(swatch, text, number);
      button.addEventListener("click", () => toggleTag(graph, index, colours.length));
      const item = document.createElement("li");
      item.append(button);
      legend.append(item);
    }
    updateLegend();
  }

  function updateLegend() {
    for (const button of legend.querySelectorAll("button")) {
      button.setAttribute("aria-pressed", String(button.dataset.tag === String(state.activeTag)));
    }
  }

  function toggleTag(graph, index, groups) {
    state.activeTag = state.activeTag === index ? null : index;
    search.value = "";
    matches = [];
    showResults();
    if (state.activeTag === null) {
      state.highlight = null;
    } else {
      state.highlight = new Set(
        graph.filterNodes((node, attributes) =>
          index < 0 ? !(attributes.tags[0] < groups) : attributes.tags.includes(index),
        ),
      );
    }
    updateLegend();
    state.selected = null;
    redraw();
  }

  function runLayout(graph) {
    const settings = { ...vendor.forceAtlas2.inferSettings(graph), linLogMode: true, strongGravityMode: false };
    Object.assign(settings, { gravity: 0.5, scalingRatio: 4, barnesHutOptimize: graph.order > 1000 });
    if (graph.order <= SYNC_LAYOUT_MAX) {
      vendor.forceAtlas2.assign(graph, { iterations: 400, settings });
      root.dataset.layout = "done";
      return;
    }
    // Large vaults: show the graph at once and let the layout settle in a worker for a bounded time.
    // The worker moves a copy, and the drawn graph takes its positions from time to time (syncLayout).
    const copy = graph.copy();
    layout = { worker: new vendor.FA2Layout(copy, { settings }), copy };
    layout.worker.start();
    layout.sync = setTimeout(() => syncLayout(graph), LAYOUT_SYNC_MS);
    layout.timer = setTimeout(() => stopLayout(graph), Math.min(20000, 3000 + graph.order * 2));
    root.dataset.layout = "running";
    setStatus(graph, "arranging…");
  }

  // Each update re-uploads every node and edge: it waits at least four times what the last one took to
  // draw, so that the page stays responsive even where WebGL runs without a GPU.
  function syncLayout(graph) {
    const started = performance.now();
    applyLayout(graph);
    // Two frames later the new positions are on screen: that measures the whole cost, GPU work included.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (!layout) return;
        const cost = performance.now() - started;
        layout.sync = setTimeout(() => syncLayout(graph), Math.max(LAYOUT_SYNC_MS, 4 * cost));
      }),
    );
  }

  function applyLayout(graph) {
    graph.updateEachNodeAttributes(
      (node, attributes) => {
        const moved = layout.copy.getNodeAttributes(node);
        attributes.x = moved.x;
        attributes.y = moved.y;
        return attributes;
      },
      { attributes: ["x", "y"] },
    );
  }

  function stopLayout(graph) {
    if (!layout) return;
    layout.worker.kill();
    clearTimeout(layout.sync);
    clearTimeout(layout.timer);
    applyLayout(graph);
    layout = null;
    root.dataset.layout = "done";
    if (!search.value && state.activeTag === null && !state.selected) setStatus(graph);
  }

  // A note's local graph links here with ?note=<its URL>: start on that note.
  function focusFromQuery(graph) {
    const wanted = new URLSearchParams(location.search).get("note");
    const node = wanted && graph.findNode((_, attributes) => attributes.url === wanted);
    if (node) {
      search.value = graph.getNodeAttribute(node, "label");
      select(node);
    }
  }

  function start(data) {
    const { graph, tags, colours } = buildGraph(data);
    if (!graph.order) return fail("No notes to show yet.");
    runLayout(graph);
    renderer = new vendor.Sigma(graph, stage, {
      labelFont: theme.font,
      labelSize: 13,
      labelWeight: "500",
      labelColor: { color: theme.text },
      labelDensity: 0.6,
      labelGridCellSize: 120,
      labelRenderedSizeThreshold: 9,
      defaultEdgeColor: theme.edge,
      edgeProgramClasses: { line: vendor.EdgeLineProgram }, // 1px GL lines: several times cheaper than quads
      defaultDrawNodeLabel: drawLabel,
      defaultDrawNodeHover: drawHover,
      nodeReducer,
      edgeReducer,
      zIndex: true,
      minCameraRatio: 0.03,
      maxCameraRatio: 3,
      stagePadding: 24,
    });
    renderer.on("beforeRender", () => {
      labelBoxes = [];
    });
    renderer.on("enterNode", ({ node }) => {
      state.hovered = node;
      stage.style.cursor = "pointer";
      redraw();
    });
    renderer.on("leaveNode", () => {
      state.hovered = null;
      stage.style.cursor = "";
      redraw();
    });
    renderer.on("clickNode", ({ node, event }) => openNote(node, event.original.ctrlKey || event.original.metaKey));
    renderer.on("clickStage", () => select(null));
    for (const button of root.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => {
        const camera = renderer.getCamera();
        const zoom = button.dataset.zoom;
        if (zoom === "in") camera.animatedZoom({ duration: 250 });
        else if (zoom === "out") camera.animatedUnzoom({ duration: 250 });
        else camera.animatedReset({ duration: 300 });
      });
    }
    search.addEventListener("input", onSearch);
    search.addEventListener("keydown", onSearchKey);
    search.addEventListener("blur", () => {
      results.hidden = true;
      search.setAttribute("aria-expanded", "false");
    });
    buildLegend(graph, tags, colours);
    if (!layout) setStatus(graph);
    focusFromQuery(graph);
    // For the browser tests and for debugging in the console.
    window.kbGraph = { graph, renderer, state, readyAfterMs: performance.now() };
    root.dataset.state = "ready";
  }

  // Material switches the colour scheme with an attribute on <body>: redraw in the new colours.
  const schemeObserver = new MutationObserver(() => {
    theme = readTheme();
    if (!renderer) return;
    renderer.setSetting("labelColor", { color: theme.text });
    renderer.setSetting("defaultEdgeColor", theme.edge);
    redraw();
  });
  schemeObserver.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  // With Material's instant navigation the page is swapped, not unloaded: stop the renderer and worker then.
  function cleanUp() {
    if (renderer) stopLayout(renderer.getGraph());
    if (renderer) renderer.kill();
    renderer = null;
    clearTimeout(redrawTimer);
    delete window.kbGraph;
    schemeObserver.disconnect();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    const subscription = window.document$.subscribe(() => {
      if (!root.isConnected) {
        cleanUp();
        setTimeout(() => subscription.unsubscribe());
      }
    });
  }

  // The page loads only this script, which loads the library itself: Material's instant navigation
  // re-inserts a page's scripts all at once, so two script tags could run in either order.
  function loadVendor() {
    if (window.KBGraphVendor) return Promise.resolve(window.KBGraphVendor);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = VENDOR;
      script.onload = () => resolve(window.KBGraphVendor);
      script.onerror = () => reject(new Error("the graph library did not load"));
      document.head.append(script);
    });
  }

  Promise.all([loadVendor(), fetch(new URL(root.dataset.src, location.href))])
    .then(([library, response]) => {
      vendor = library;
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.json();
    })
    .then((data) => {
      if (root.isConnected) start(data);
    })
    .catch((error) => fail(`The graph could not be loaded (${error.message}).`));
})();
