// Where keyboard focus goes when the page is redrawn under it. Pages are drawn by replacing the
// children of <main>; the element that had focus goes with them and the browser puts focus on
// <body>, so a keyboard or screen-reader user is sent back to the top of the document and hears
// nothing of the new page (issue 18, item 9: after sign-in, Apply, opening an insight, Dismiss).

/**
 * Focuses the heading of the page in <main>. The heading is focusable by script only
 * (tabindex=-1): it is not a stop of the Tab order, but the next Tab continues from it.
 */
export function focusHeading() {
  const heading = document.querySelector('main h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/** True when no element of the page has focus (it was removed with the page drawn before). */
export function focusLost() {
  const a = document.activeElement;
  return !a || a === document.body || !a.isConnected;
}

/**
 * After a redraw of the same page: focuses the element `id` again (the button just used, drawn
 * anew) if focus was lost with the old page; the heading when that element is gone or disabled.
 * Leaves focus alone when the user has already moved it to an element that is still there.
 */
export function refocus(id) {
  if (!focusLost()) return;
  const el = document.getElementById(id);
  if (el && !el.disabled) el.focus();
  else focusHeading();
}
