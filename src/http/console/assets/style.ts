/** The console's style sheet: system fonts only (no web font), colours chosen for WCAG AA contrast. */
export const CONSOLE_CSS = `
:root {
  --ink: #1b1f24; --muted: #4d5661; --line: #c9d1d9; --paper: #ffffff; --wash: #f4f6f8;
  --link: #0a4fb5; --focus: #ffbf47; --ok: #0f6b2f; --ok-wash: #e6f4ea; --bad: #a4161a; --bad-wash: #fde8e8;
  --warn: #7a4b00; --warn-wash: #fff4d6;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--wash); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink);
}
.skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #14213d; color: #fff; }
.top a { color: #fff; }
.brand { font-weight: 700; font-size: 1.2rem; letter-spacing: .02em; }
.top nav ul { display: flex; gap: .2rem; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
.top nav a { display: block; padding: .35rem .7rem; border-radius: 4px; text-decoration: none; }
.top nav a[aria-current="page"] { background: #fff; color: #14213d; font-weight: 600; }
.logout { margin-left: auto; display: flex; gap: .6rem; align-items: center; }
.logout .who { opacity: .9; }
main { max-width: 1200px; margin: 0 auto; padding: 1.2rem; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.4rem 0 .6rem; }
button, .button { font: inherit; padding: .4rem .8rem; border-radius: 4px; border: 1px solid #14213d; background: #14213d; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: var(--paper); color: #14213d; }
button.danger { background: var(--bad); border-color: var(--bad); }
input[type=text], input[type=password], input[type=datetime-local], input[type=search], textarea, select {
  font: inherit; padding: .4rem .5rem; border: 1px solid #6b7682; border-radius: 4px; background: var(--paper); color: var(--ink);
}
textarea { width: 100%; min-height: 9rem; }
label { font-weight: 600; display: block; margin: .6rem 0 .2rem; }
.flash { padding: .6rem .9rem; border-radius: 4px; border: 1px solid; }
.flash-ok { background: var(--ok-wash); color: var(--ok); border-color: var(--ok); }
.flash-error { background: var(--bad-wash); color: var(--bad); border-color: var(--bad); }
.login { max-width: 24rem; margin: 3rem auto; background: var(--paper); padding: 1.5rem; border: 1px solid var(--line); border-radius: 8px; }
.login input { width: 100%; }
.login button { margin-top: 1rem; width: 100%; }
table { border-collapse: collapse; width: 100%; background: var(--paper); border: 1px solid var(--line); }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #e9edf1; font-weight: 600; }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
.state { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .85rem; border: 1px solid var(--line); background: var(--wash); white-space: nowrap; }
.state-awaiting-approval, .state-held, .state-paused { background: var(--warn-wash); color: var(--warn); border-color: var(--warn); }
.state-failed, .state-needs-attention { background: var(--bad-wash); color: var(--bad); border-color: var(--bad); }
.state-scheduled, .state-slot, .state-waiting { background: #e8f0fe; color: #0a3d8f; border-color: #0a3d8f; }
.state-posted { background: var(--ok-wash); color: var(--ok); border-color: var(--ok); }
.state-retracted, .state-cancelled { background: #eee; color: #3d4650; }
.muted { color: var(--muted); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .6rem 0; }
.actions form { display: flex; gap: .4rem; align-items: end; margin: 0; }
.actions label { margin: 0 0 .2rem; font-weight: 400; }
.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 0 0 1rem; }
.panel > h2:first-child { margin-top: 0; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
@media (max-width: 800px) { .grid2 { grid-template-columns: 1fr; } }
.count { font-variant-numeric: tabular-nums; }
.count-over { color: var(--bad); font-weight: 700; }
.warning { background: var(--warn-wash); color: var(--warn); border: 1px solid var(--warn); padding: .5rem .8rem; border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }

/* Week view */
.week { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: .4rem; }
@media (max-width: 900px) { .week { grid-template-columns: 1fr; } }
.day { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; min-height: 8rem; padding: .4rem; }
.day h2 { font-size: .95rem; margin: 0 0 .4rem; }
.day ol { list-style: none; margin: 0; padding: 0; display: grid; gap: .3rem; }
.day li { border-left: 4px solid #0a3d8f; padding: .2rem .4rem; background: var(--wash); font-size: .9rem; }
.day .slot { border-left-style: dashed; color: var(--muted); }
.day.today { border-color: #14213d; border-width: 2px; }

/* Previews: as a follower sees the post */
.preview { background: var(--paper); border: 1px solid var(--line); border-radius: 12px; padding: .9rem; max-width: 36rem; }
.preview .who { display: flex; gap: .6rem; align-items: center; margin-bottom: .5rem; }
.preview .avatar { width: 40px; height: 40px; border-radius: 50%; background: #14213d; color: #fff; display: grid; place-items: center; font-weight: 700; flex: none; }
.preview .name { font-weight: 700; }
.preview .handle { color: var(--muted); }
.preview .body { white-space: pre-wrap; overflow-wrap: anywhere; }
.preview .body a { text-decoration: none; }
.preview .meta { color: var(--muted); font-size: .85rem; margin-top: .5rem; }
a.card { display: block; text-decoration: none; color: inherit; }
a.card:hover .card-title { text-decoration: underline; }
.card { border: 1px solid var(--line); border-radius: 10px; overflow: hidden; margin-top: .6rem; background: var(--wash); }
.card img { display: block; width: 100%; max-height: 16rem; object-fit: cover; background: #dde3ea; }
.card .card-text { padding: .5rem .7rem; }
.card .domain { color: var(--muted); font-size: .8rem; text-transform: uppercase; }
.card .card-title { font-weight: 700; }
.card .card-desc { color: var(--muted); font-size: .9rem; }
.preview .tag { color: var(--link); }
.thread { border-left: 2px solid var(--line); margin: .6rem 0 0 1.2rem; padding-left: .8rem; }
`;
