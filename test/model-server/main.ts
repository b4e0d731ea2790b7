/**
 * Entry point of the scripted model server. Imported, it re-exports the API;
 * run directly, it serves until interrupted:
 *
 *   bun test/model-server/main.ts [--port N] [--quiet]
 *
 * prints `model server listening on http://127.0.0.1:N`, then one line per request on stderr.
 * Point an agent at it, e.g. `ANTHROPIC_BASE_URL=http://127.0.0.1:N claude -p "[scenario:thinking] hi"`.
 */
import { startModelServer } from './server';

export { startModelServer, type ModelServer, type ModelServerOptions } from './server';
export { FINAL_TEXT, OK_COMMAND, FAILING_COMMAND, WRITE_FILE, WRITE_PATCH, EDIT_FILE, EDIT_PATCH, WEB_SEARCH_QUERY, parseScenarioTag } from './scenarios';
export { SCENARIOS, type RecordedRequest, type ScenarioName } from './types';

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const port = Number(argValue(args, '--port') ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid --port ${argValue(args, '--port')}`);
    process.exit(2);
  }
  const quiet = args.includes('--quiet');
  const server = await startModelServer({ port, log: quiet ? undefined : (line) => console.error(line) });
  console.log(`model server listening on ${server.url}`);
  const shutdown = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
