/**
 * Mounts the real `MarkdownView` with a `$state` prop, so the markdown
 * benchmark drives it the way a streaming transcript row does: one prop
 * change and one synchronous flush per delta.
 */
import { flushSync, mount, unmount } from 'svelte';
import MarkdownView from '../../src/lib/components/MarkdownView.svelte';

/** A mounted `MarkdownView`; `show` sets its text and flushes the DOM update. */
export function mountMarkdown(text: string) {
  const target = document.createElement('div');
  document.body.append(target);
  const props = $state({ text });
  const view = mount(MarkdownView, { target, props });
  flushSync();
  return {
    target,
    show(next: string) {
      props.text = next;
      flushSync();
    },
    destroy() {
      unmount(view);
      target.remove();
    },
  };
}
