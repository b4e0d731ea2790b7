/**
 * The read side of the session search: turns what the user typed into a
 * safe FTS5 query, runs it over the index (src-bun/core/search-index.ts),
 * and returns hits with their project, session and a marked snippet.
 */
import type { Database } from 'bun:sqlite';
import type { SearchHit, Snippet } from '../../src/shared/rpc/search';
import type { SearchRole } from '../../src/shared/search';
import { publicRecord } from './session-sync';
import { HIT_END, HIT_START } from './search-index';
import type { Store } from './store';

/** A query that cannot be searched for; the message says why, for the user. */
export class SearchQueryError extends Error {
  override name = 'SearchQueryError';
}

/** Words of context around a hit in a snippet (FTS5 `snippet()` counts tokens). */
const SNIPPET_TOKENS = 16;
const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const TOKEN_CHARS = /[\p{L}\p{N}\p{Co}]/gu;

/**
 * The FTS5 query for what the user typed. Every word and every "quoted
 * phrase" becomes a quoted FTS5 string, so operators (AND, OR, NOT, NEAR),
 * column filters, `*`, `^` and parentheses are searched for as text, never
 * parsed; the terms are ANDed. The last bare word gets a prefix match
 * (`"wor"*`) unless the input ends in a space or the word has a single
 * letter or digit (every word starting with "m" would be slow to merge and
 * useless to read). Terms with no letter or digit are dropped. Throws {@link SearchQueryError} when no term is left.
 *
 * @example toFtsQuery('fix "login page" NOT') === '"fix" "login page" "NOT"*'
 */
export function toFtsQuery(input: string): string {
  const terms: string[] = [];
  // Whether the last kept term is a bare word that ends the input: the word being typed.
  let typing = false;
  for (const m of input.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const text = m[1] ?? m[2];
    const kept = TOKEN_CHAR.test(text);
    if (kept) terms.push(`"${text}"`);
    typing = kept && m[2] !== undefined && m.index + m[0].length === input.length && (text.match(TOKEN_CHARS)?.length ?? 0) >= 2;
  }
  if (terms.length === 0) throw new SearchQueryError('Search for at least one letter or digit');
  if (typing) terms[terms.length - 1] += '*';
  return terms.join(' ');
}

/** Splits an FTS5 snippet marked with HIT_START/HIT_END into plain-text segments. */
export function snippetSegments(marked: string): Snippet {
  const out: Snippet = [];
  for (const [i, part] of marked.split(HIT_START).entries()) {
    const [hit, rest] = i === 0 ? [null, part] : splitOnce(part, HIT_END);
    if (hit) out.push({ text: hit, hit: true });
    if (rest) out.push({ text: rest, hit: false });
  }
  return out;
}

function splitOnce(s: string, sep: string): [string, string] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + sep.length)];
}

/** One hit as the index holds it. */
export type IndexHit = {
  sessionId: string;
  projectId: string;
  projectName: string;
  messageKey: string;
  role: SearchRole;
  seqId: number;
  ts: number;
  snippet: Snippet;
};

type HitRow = { snip: string; session_id: string; project_id: string; project_name: string; message_key: string; role: string; seq_id: number; ts: number };

/** Creates the query over a database with the search index. */
export function createSearchQuery(db: Database) {
  // Newest first: FTS5 walks the doclists in descending rowid order and stops at the limit, so a word found in
  // every message costs no more than a rare one (ranking by bm25 scores every match: 0.8 s at 100k messages).
  // Snippets are made for the rows returned only.
  const stmt = db.query<HitRow, [string, number, string, string, string, number]>(`
    SELECT h.snip, d.session_id, s.project_id, p.name AS project_name, d.message_key, d.role, d.seq_id, d.ts
    FROM (SELECT rowid AS id, snippet(search_fts, 0, ?3, ?4, ?5, ?6) AS snip
          FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2) AS h
    JOIN search_docs d ON d.id = h.id
    JOIN sessions s ON s.id = d.session_id
    JOIN projects p ON p.id = s.project_id
    ORDER BY h.id DESC`);
  /**
   * The newest `limit` hits for what the user typed, newest first (by when
   * the message was first stored).
   * Throws {@link SearchQueryError} for a query with nothing to search for,
   * or one SQLite refuses (with SQLite's reason).
   */
  return (input: string, limit: number): IndexHit[] => {
    const fts = toFtsQuery(input);
    let rows: HitRow[];
    try {
      rows = stmt.all(fts, limit, HIT_START, HIT_END, '…', SNIPPET_TOKENS);
    } catch (e) {
      throw new SearchQueryError(`Could not search for ${JSON.stringify(input)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return rows.map((r) => ({
      sessionId: r.session_id, projectId: r.project_id, projectName: r.project_name, messageKey: r.message_key,
      role: r.role as SearchRole, seqId: r.seq_id, ts: r.ts, snippet: snippetSegments(r.snip),
    }));
  };
}

/** The `search.query` answer: the newest `limit` hits with their session records, and whether more matched. */
export function searchSessions(store: Store, query: string, limit: number): { hits: SearchHit[]; more: boolean } {
  const found = store.search(query, limit + 1);
  const hits: SearchHit[] = [];
  for (const { sessionId, ...hit } of found.slice(0, limit)) {
    const record = store.sessions.get(sessionId);
    if (record) hits.push({ ...hit, session: publicRecord(record) });
  }
  return { hits, more: found.length > limit };
}
