/** UI entry: connect to the main process over the transport that fits the host, then mount the app. */
import { mount } from 'svelte';
import App from './App.svelte';
import { connectRpc } from './lib/rpc/connect';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const { client, connection, missingToken } = connectRpc();
mount(App, { target, props: { rpc: client, connection, missingToken } });
