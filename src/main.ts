/**
 * UI entry: connect to the main process over the transport that fits the
 * host, then mount the app. The app is a separate chunk, loaded only once the
 * connection is under way: the WebSocket handshake (or the Electroview
 * bridge's start) and the boot's first reads (rpc/boot-prefetch.ts) overlap
 * the app's own loading instead of following it.
 */
import { mount } from 'svelte';
import { prefetchBoot } from './lib/rpc/boot-prefetch';
import { connectRpc } from './lib/rpc/connect';
import { PAGE_MESSAGES } from './lib/stores/transcript-paging';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const { client, connection, missingToken } = connectRpc();
// The boot's reads go out now and are answered while the app loads; the app's first identical requests take them.
const rpc = prefetchBoot(client, { tail: PAGE_MESSAGES });
void import('./App.svelte').then(({ default: App }) => mount(App, { target, props: { rpc, connection, missingToken } }));
