// The coding view: select a passage (mouse or keyboard), pick a code, set its valence; stripes in
// the margin show every coding and open it to change or remove (with undo).
// Offsets here are UTF-16 units, as JavaScript counts; the server converts them to code points.

const root = document.getElementById("coding");
const study = root.dataset.study;
const docName = root.dataset.document;
const canCode = root.dataset.canCode === "yes";
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const base = `/api/v1/studies/${encodeURIComponent(study)}/documents/${encodeURIComponent(docName)}`;
const $ = (id) => document.getElementById(id);
const transcript = $("transcript");
const wrap = transcript.parentElement;
const stripesBox = $("stripes");
const toast = $("toast");
const picker = $("picker");

const segs = [...transcript.querySelectorAll(".seg")].map((el) => {
  if (!el.firstChild) el.appendChild(document.createTextNode(""));
  const start = Number(el.dataset.start);
  return { el, node: el.firstChild, start, end: start + el.firstChild.data.length };
});

let doc = null; // the document as the API gives it
let codes = [];
let codings = [];
let selection = null; // {start, end} in UTF-16 units
let anchor = 0;
let caret = 0;
let graphemes = [];
let words = [];
let active = null; // the coding open in the panel
let undo = null; // {label, run}
let pickerMode = "new";
let pickerChoice = null;

async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  return response.status === 204 ? null : response.json();
}

function say(message, undoAction = null) {
  toast.replaceChildren(document.createTextNode(message));
  undo = undoAction;
  if (undoAction) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Undo";
    button.className = "link";
    button.addEventListener("click", runUndo);
    toast.append(" ", button);
  }
}

async function runUndo() {
  if (!undo) return;
  const action = undo;
  undo = null;
  try {
    await action.run();
    await load();
    say(`Undone: ${action.label}.`);
  } catch (error) {
    say(`Could not undo: ${error.message}`);
  }
  transcript.focus();
}

// --- offsets <-> DOM ---------------------------------------------------------------------------

function place(offset, preferNext) {
  for (let i = 0; i < segs.length; i += 1) {
    const seg = segs[i];
    if (offset < seg.start) return { node: seg.node, offset: 0 }; // in a gap: the next segment
    if (offset < seg.end || (offset === seg.end && !(preferNext && segs[i + 1]?.start === offset))) {
      return { node: seg.node, offset: offset - seg.start };
    }
  }
  const last = segs[segs.length - 1];
  return { node: last.node, offset: last.node.data.length };
}

function rangeOf(start, end) {
  const range = document.createRange();
  const a = place(start, true);
  const b = place(end, false);
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  return range;
}

function offsetOf(node, offset, isEnd) {
  const probe = document.createRange();
  let found = null;
  for (const seg of segs) {
    probe.selectNodeContents(seg.el);
    const where = probe.comparePoint(node, offset);
    if (where === 0) {
      if (node === seg.node) return seg.start + offset;
      return seg.start + (offset > 0 ? seg.node.data.length : 0);
    }
    if (!isEnd && where < 0) return seg.start; // before this segment: its start
    if (isEnd && where > 0) found = seg.end; // after this segment: at least its end
  }
  return isEnd ? found : null;
}

function inGap(offset) {
  return !segs.some((s) => s.start <= offset && offset <= s.end);
}

function step(from, forward, byWord) {
  const marks = byWord ? words : graphemes;
  let next = from;
  if (forward) next = marks.find((m) => m > from) ?? doc.length_utf16;
  else next = [...marks].reverse().find((m) => m < from) ?? 0;
  if (inGap(next)) {
    const seg = forward ? segs.find((s) => s.start >= next) : [...segs].reverse().find((s) => s.end <= next);
    if (seg) next = forward ? seg.start : seg.end;
  }
  return next;
}

function showSelection() {
  const box = $("selection");
  const button = $("code-it");
  if (!selection) {
    box.textContent = "Nothing selected.";
    box.classList.add("muted");
  } else {
    box.textContent = doc.text_utf16.slice(selection.start, selection.end);
    box.classList.remove("muted");
  }
  if (button) button.disabled = !selection;
}

function selectKeyboard() {
  const a = place(anchor, anchor <= caret);
  const b = place(caret, caret < anchor);
  document.getSelection().setBaseAndExtent(a.node, a.offset, b.node, b.offset);
  selection = anchor === caret ? null : { start: Math.min(anchor, caret), end: Math.max(anchor, caret) };
  showSelection();
}

document.addEventListener("selectionchange", () => {
  if (picker.open || !doc) return;
  const current = document.getSelection();
  if (!current.rangeCount) return;
  const range = current.getRangeAt(0);
  if (!transcript.contains(range.commonAncestorContainer) && !range.intersectsNode(transcript)) return;
  const start = offsetOf(range.startContainer, range.startOffset, false);
  const end = offsetOf(range.endContainer, range.endOffset, true);
  if (start === null || end === null || end <= start) {
    selection = null;
    if (start !== null) anchor = caret = start;
  } else {
    selection = { start, end };
    const forward = current.anchorNode === range.startContainer && current.anchorOffset === range.startOffset;
    anchor = forward ? start : end;
    caret = forward ? end : start;
  }
  showSelection();
});

transcript.addEventListener("focus", () => {
  if (inGap(caret) && segs.length) anchor = caret = segs[0].start;
});

transcript.addEventListener("keydown", (event) => {
  if (!doc) return;
  const key = event.key;
  if (key === "ArrowRight" || key === "ArrowLeft") {
    event.preventDefault();
    caret = step(caret, key === "ArrowRight", event.ctrlKey || event.altKey);
    if (!event.shiftKey) anchor = caret;
    selectKeyboard();
  } else if (key === "ArrowDown" || key === "ArrowUp") {
    // The start of the next or previous speaker turn.
    event.preventDefault();
    const target = key === "ArrowDown"
      ? segs.find((s) => s.start > caret)
      : [...segs].reverse().find((s) => s.start < caret);
    if (target) caret = target.start;
    if (!event.shiftKey) anchor = caret;
    selectKeyboard();
  } else if ((key === "c" || key === "C" || key === "Enter") && !event.ctrlKey && !event.metaKey) {
    if (selection && canCode) {
      event.preventDefault();
      openPicker("new");
    }
  }
});

document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "z" && !picker.open && undo
      && document.activeElement?.tagName !== "TEXTAREA") {
    event.preventDefault();
    runUndo();
  }
});

// --- codings in the margin ---------------------------------------------------------------------

const PALETTE = ["#0b5cad", "#b35900", "#1a7f37", "#8250df", "#a40e26", "#006d75", "#7d4e00", "#4d2d8f"];

function colourOf(coding) {
  if (coding.colour) return coding.colour;
  let hash = 0;
  for (const ch of coding.code_id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

function drawStripes() {
  const box = wrap.getBoundingClientRect();
  const placed = codings.map((coding) => {
    const rects = [...rangeOf(coding.start_utf16, coding.end_utf16).getClientRects()].filter((r) => r.height > 0);
    const top = Math.min(...rects.map((r) => r.top)) - box.top;
    const bottom = Math.max(...rects.map((r) => r.bottom)) - box.top;
    return { coding, top, bottom };
  }).filter((p) => Number.isFinite(p.top)).sort((a, b) => a.top - b.top || b.bottom - a.bottom);
  const lanes = [];
  const stripes = placed.map(({ coding, top, bottom }) => {
    let lane = lanes.findIndex((end) => end <= top);
    if (lane < 0) { lane = lanes.length; lanes.push(bottom); } else lanes[lane] = bottom;
    const stripe = document.createElement("button");
    stripe.type = "button";
    stripe.className = "stripe";
    stripe.dataset.coding = coding.id;
    stripe.style.top = `${top}px`;
    stripe.style.height = `${Math.max(8, bottom - top)}px`;
    stripe.style.left = `${(lane % 4) * 10}px`;
    stripe.style.backgroundColor = colourOf(coding);
    const label = `${coding.code}, coded by ${coding.coder}${coding.valence ? `, ${coding.valence}` : ""}`;
    stripe.setAttribute("aria-label", label);
    stripe.title = label;
    if (active && active.id === coding.id) stripe.classList.add("active");
    stripe.addEventListener("click", () => openCoding(coding));
    return stripe;
  });
  stripesBox.replaceChildren(...stripes);
}

function highlight() {
  if (!globalThis.CSS?.highlights) return;
  CSS.highlights.set("coded", new Highlight(...codings.map((c) => rangeOf(c.start_utf16, c.end_utf16))));
  if (active) CSS.highlights.set("active", new Highlight(rangeOf(active.start_utf16, active.end_utf16)));
  else CSS.highlights.delete("active");
}

function render() {
  if (active) active = codings.find((c) => c.id === active.id) || null;
  drawStripes();
  highlight();
  showCoding();
}

function showCoding() {
  const box = $("coding-box");
  box.hidden = !active;
  if (!active) return;
  $("coding-title").textContent = active.code;
  $("coding-meta").textContent = `Coded by ${active.coder}${active.valence ? ` · ${active.valence}` : ""}`;
  $("coding-text").textContent = doc.text_utf16.slice(active.start_utf16, active.end_utf16);
  $("coding-memo").value = active.memo;
  const editable = canCode && active.mine;
  for (const button of box.querySelectorAll("[data-valence]")) {
    button.setAttribute("aria-pressed", String(button.dataset.valence === active.valence));
    button.disabled = !editable;
  }
  for (const id of ["coding-save", "coding-recode", "coding-remove"]) $(id).disabled = !editable;
  $("coding-memo").readOnly = !editable;
}

function openCoding(coding) {
  active = coding;
  render();
  $("coding-box").querySelector("h2").focus?.();
}

async function change(fields, label) {
  const before = {};
  for (const key of Object.keys(fields)) before[key] = active[key];
  const id = active.id;
  try {
    await api("PATCH", `${base}/codings/${id}`, fields);
    await load();
    say(`Changed ${label}.`, { label: `change of ${label}`, run: () => api("PATCH", `${base}/codings/${id}`, before) });
  } catch (error) {
    say(`Not changed: ${error.message}`);
  }
}

for (const button of $("coding-box").querySelectorAll("[data-valence]")) {
  button.addEventListener("click", () => change({ valence: button.dataset.valence }, "valence"));
}
$("coding-save").addEventListener("click", () => change({ memo: $("coding-memo").value }, "memo"));
$("coding-recode").addEventListener("click", () => openPicker("recode"));
$("coding-remove").addEventListener("click", async () => {
  const gone = active;
  try {
    await api("DELETE", `${base}/codings/${gone.id}`);
    active = null;
    await load();
    say(`Removed ${gone.code}.`, {
      label: "removal",
      run: () => api("POST", `${base}/codings`, {
        start: gone.start_utf16, end: gone.end_utf16, unit: "utf16",
        code: gone.code, valence: gone.valence, memo: gone.memo,
      }),
    });
    transcript.focus();
  } catch (error) {
    say(`Not removed: ${error.message}`);
  }
});

// --- the code picker ---------------------------------------------------------------------------

let shown = [];
let cursor = 0;

function filterCodes() {
  const query = $("picker-search").value.trim().toLocaleLowerCase();
  shown = codes.filter((code) => !query || code.path.toLocaleLowerCase().includes(query)
    || code.definition.toLocaleLowerCase().includes(query));
  cursor = Math.min(cursor, Math.max(0, shown.length - 1));
  const list = $("picker-list");
  list.replaceChildren(...shown.map((code, i) => {
    const item = document.createElement("li");
    item.id = `code-option-${i}`;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", String(i === cursor));
    item.textContent = code.path;
    item.addEventListener("click", () => { cursor = i; choose(); });
    return item;
  }));
  $("picker-search").setAttribute("aria-activedescendant", shown.length ? `code-option-${cursor}` : "");
  list.children[cursor]?.scrollIntoView({ block: "nearest" });
  describe(shown[cursor]);
}

function describe(code) {
  const detail = $("picker-detail");
  if (!code) { detail.replaceChildren(document.createTextNode("No code matches.")); return; }
  const list = document.createElement("dl");
  for (const [term, text] of [["Definition", code.definition], ["Include", code.inclusion], ["Exclude", code.exclusion]]) {
    if (!text) continue;
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = text;
    list.append(dt, dd);
  }
  detail.replaceChildren(list);
}

function openPicker(mode) {
  pickerMode = mode;
  pickerChoice = null;
  cursor = 0;
  $("picker-search").value = "";
  $("picker-valence").hidden = true;
  $("picker-list").hidden = false;
  filterCodes();
  picker.showModal();
  $("picker-search").focus();
}

function closePicker() {
  picker.close();
  transcript.focus({ preventScroll: true });
  if (selection) selectKeyboard();
}

async function choose() {
  const code = shown[cursor];
  if (!code) return;
  pickerChoice = code;
  if (pickerMode === "recode") {
    picker.close();
    await change({ code: code.path }, "code");
    return;
  }
  $("picker-valence").hidden = false;
  $("picker-valence").querySelector("button").focus();
}

async function save(valence) {
  const chosen = selection;
  const code = pickerChoice;
  picker.close();
  try {
    const made = await api("POST", `${base}/codings`, {
      start: chosen.start, end: chosen.end, unit: "utf16", code: code.path, valence,
    });
    await load();
    say(`Coded as ${code.path}${valence ? ` (${valence})` : ""}.`, {
      label: "coding", run: () => api("DELETE", `${base}/codings/${made.id}`),
    });
  } catch (error) {
    say(`Not coded: ${error.message}`);
  }
  transcript.focus({ preventScroll: true });
}

$("picker-search").addEventListener("input", () => { cursor = 0; filterCodes(); });
$("picker-search").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const size = Math.max(1, shown.length);
    cursor = (cursor + (event.key === "ArrowDown" ? 1 : size - 1)) % size;
    filterCodes();
  } else if (event.key === "Enter") {
    event.preventDefault();
    choose();
  }
});
for (const button of $("picker-valence").querySelectorAll("[data-valence]")) {
  button.addEventListener("click", () => save(button.dataset.valence));
}
$("picker-valence").addEventListener("keydown", (event) => {
  const valence = { b: "barrier", f: "facilitator", m: "mixed", n: "" }[event.key.toLowerCase()];
  if (valence !== undefined) { event.preventDefault(); save(valence); }
});
$("picker-cancel").addEventListener("click", closePicker);
picker.addEventListener("cancel", () => transcript.focus({ preventScroll: true }));
$("code-it")?.addEventListener("click", () => { if (selection) openPicker("new"); });

// --- loading -----------------------------------------------------------------------------------

async function load() {
  doc = await api("GET", base);
  doc.text_utf16 = doc.text; // a JavaScript string counts UTF-16 units already
  codes = doc.codes;
  codings = doc.codings;
  if (!graphemes.length) {
    const text = doc.text;
    graphemes = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map((s) => s.index);
    words = [...new Intl.Segmenter(undefined, { granularity: "word" }).segment(text)]
      .filter((s) => s.isWordLike).flatMap((s) => [s.index, s.index + s.segment.length]);
  }
  render();
  root.dataset.ready = String(Number(root.dataset.ready || 0) + 1);
}

new ResizeObserver(() => { if (doc) drawStripes(); }).observe(transcript);

// Live: colleagues' codings arrive as server-sent events (the browser resends Last-Event-ID on
// reconnecting, so nothing is missed); one reload of the codings per burst of events.
let pending = null;
function listen() {
  const events = new EventSource(`${base}/events`);
  events.addEventListener("coding", () => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; load().catch(() => {}); }, 100);
  });
}

load()
  .then(listen)
  .catch((error) => say(`Could not load the document: ${error.message}`));
