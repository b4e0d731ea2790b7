/**
 * A Svelte attachment (`{@attach focusOnMount}`) that focuses its element
 * once it is in the page: the first field of a form just opened, or the
 * heading of a view just shown (give it `tabindex="-1"`), so keyboard focus
 * follows the view instead of falling back to the page.
 */
export function focusOnMount(element: HTMLElement): void {
  element.focus();
}
