import { css } from 'lit';

/**
 * The look every Plugboard element shares, driven by CSS custom properties a page may set on any ancestor:
 * --pb-font, --pb-text, --pb-muted, --pb-surface, --pb-border, --pb-accent, --pb-accent-text, --pb-error,
 * --pb-ok, --pb-focus. Focus is always visible.
 */
export const theme = css`
  :host {
    display: block;
    font: var(--pb-font, 14px/1.45 system-ui, sans-serif);
    color: var(--pb-text, #1d1f23);
  }
  button, select, input, textarea { font: inherit; }
  button {
    border: 1px solid var(--pb-border, #c5c9d0); background: var(--pb-surface, #fff); color: inherit;
    border-radius: 6px; padding: .3rem .8rem; cursor: pointer;
  }
  button.primary { background: var(--pb-accent, #2456c9); border-color: var(--pb-accent, #2456c9); color: var(--pb-accent-text, #fff); }
  button:disabled { opacity: .55; cursor: default; }
  select, input:not([type=checkbox]):not([type=radio]), textarea {
    border: 1px solid var(--pb-border, #c5c9d0); border-radius: 6px; padding: .25rem .4rem; background: var(--pb-surface, #fff); color: inherit;
  }
  :focus-visible { outline: 3px solid var(--pb-focus, #f0a000); outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--pb-border, #e1e4e8); vertical-align: top; }
  th { font-weight: 600; }
  .muted { color: var(--pb-muted, #5d6470); }
  .problem { border-left: 4px solid var(--pb-error, #b3261e); background: #fdf0ef; padding: .5rem .75rem; margin: .5rem 0; }
  .problem .where, .problem .hint { font-size: .92em; margin-top: .2rem; }
  .url { font-family: ui-monospace, monospace; word-break: break-all; }
  .ok { color: var(--pb-ok, #17692b); }
  fieldset { border: 1px solid var(--pb-border, #e1e4e8); border-radius: 8px; margin: 0 0 1rem; padding: .6rem .9rem; }
  legend { font-weight: 600; padding: 0 .3rem; }
`;
