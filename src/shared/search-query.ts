/**
 * The rules a search query must meet, as a plain function: the contract's
 * schema (rpc/search.ts) applies it, and the UI checks a query as it is
 * typed without loading the schema library.
 */

/** Longest query accepted, in characters. */
export const MAX_SEARCH_QUERY_CHARS = 200;

/** The query trimmed, or the sentence that says what is wrong with it. */
export function checkSearchQuery(text: string): { ok: true; query: string } | { ok: false; error: string } {
  const query = text.trim();
  if (query.length === 0) return { ok: false, error: 'Type something to search for' };
  if (query.length > MAX_SEARCH_QUERY_CHARS) return { ok: false, error: `A search is at most ${MAX_SEARCH_QUERY_CHARS} characters` };
  if (!/[\p{L}\p{N}]/u.test(query)) return { ok: false, error: 'Search for at least one letter or digit' };
  return { ok: true, query };
}
