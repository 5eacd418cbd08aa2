/** The page's look, close to the HTML report's (same fonts, colours, table style). */
export const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --bad: #b3261e; --accent: #4c78a8; --warn-bg: #fff4e5; --warn-line: #f0a030; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #f4f5f7; }
header { display: flex; align-items: baseline; gap: 16px; padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 1.15em; margin: 0; white-space: nowrap; }
header .model { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#status { margin-left: auto; color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
#status.running::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--warn-line); margin-right: 6px; }
#status.error { color: var(--bad); }
.layout { display: grid; grid-template-columns: 330px minmax(0, 1fr); gap: 16px; padding: 16px 20px; align-items: start; }
aside, main > section { background: #fff; border: 1px solid var(--line); border-radius: 6px; }
aside { padding: 12px 14px; position: sticky; top: 56px; max-height: calc(100vh - 72px); overflow-y: auto; }
aside h2, main h2 { font-size: 1em; margin: 14px 0 6px; }
aside h2:first-child { margin-top: 0; }
.knob { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; margin: 6px 0 10px; }
.knob label { font-size: 0.93em; }
.knob output { font-variant-numeric: tabular-nums; font-weight: bold; text-align: right; }
.knob input[type=range], .knob select { grid-column: 1 / 3; width: 100%; }
.knob .note { grid-column: 1 / 3; }
.knob.inactive { opacity: 0.45; }
.knob.changed output { color: var(--accent); }
.note { color: var(--muted); font-size: 0.86em; margin: 2px 0; }
.row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
input[type=text], input[type=number], select { font: inherit; padding: 3px 5px; border: 1px solid #c4c7cc; border-radius: 4px; background: #fff; }
input[type=text] { min-width: 0; flex: 1; }
button { font: inherit; padding: 4px 10px; border: 1px solid #b8bcc2; border-radius: 4px; background: #f8f9fa; cursor: pointer; }
button:hover { background: #eef1f4; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
ul.overrides { list-style: none; padding: 0; margin: 4px 0; font: 12px/1.5 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
ul.overrides li { display: flex; gap: 6px; align-items: center; word-break: break-all; }
ul.overrides button { padding: 0 6px; }
textarea.cli { width: 100%; font: 12px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; resize: vertical; }
.problems { color: var(--bad); font-size: 0.9em; white-space: pre-wrap; }
nav.tabs { display: flex; gap: 2px; margin-bottom: -1px; }
nav.tabs button { border-radius: 6px 6px 0 0; border-bottom-color: var(--line); background: #e9ebee; }
nav.tabs button[aria-selected=true] { background: #fff; border-bottom-color: #fff; font-weight: bold; }
main > section { padding: 14px 18px 20px; min-height: 400px; }
.chart { margin: 10px 0 18px; overflow-x: auto; }
.chart.problem { color: var(--bad); }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
thead th { color: var(--muted); font-weight: normal; border-bottom: 2px solid var(--line); }
tbody th { text-align: left; font-weight: normal; }
thead th:first-child { text-align: left; }
#diagnosis td:last-child, #diagnosis th:last-child { white-space: normal; text-align: left; max-width: 340px; }
.warnings { background: var(--warn-bg); border-left: 4px solid var(--warn-line); padding: 6px 14px; margin: 12px 0; }
.warnings li { margin: 3px 0; }
.grade { display: inline-block; padding: 1px 9px; border-radius: 11px; color: #fff; font-weight: bold; text-transform: uppercase; font-size: 0.85em; letter-spacing: 0.04em; }
.grade-none { background: var(--muted); } .grade-excellent { background: #2e7d32; } .grade-good { background: #558b2f; } .grade-medium { background: #ef6c00; } .grade-heavy { background: var(--bad); }
.study-form { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end; margin-bottom: 8px; }
.study-form label { display: flex; flex-direction: column; font-size: 0.88em; color: var(--muted); gap: 2px; }
.ticks { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; font-size: 0.92em; }
.progress { color: var(--muted); font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: var(--muted); margin: 8px 0; }
`;
