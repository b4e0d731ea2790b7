/**
 * RPC domain `search`: full-text search across the stored messages of every
 * session of every project (what is indexed: src/shared/search.ts). The
 * query is plain words, not FTS syntax: every word must occur, in any
 * order; a "quoted phrase" must occur as written; the last word also
 * matches as a prefix while it is being typed. Case and diacritics are
 * ignored. Messages a running session has not written yet (the UI asks for
 * them to be written every 2 s, and a turn's end writes them at once) are
 * not found.
 */
import { z } from 'zod';
import { SessionRecordSchema } from '../records';
import { SEARCH_ROLES } from '../search';
import { checkSearchQuery } from '../search-query';

export { MAX_SEARCH_QUERY_CHARS } from '../search-query';

/** A search query: trimmed, then {@link checkSearchQuery}'s rules with its messages. */
export const SearchQuerySchema = z
  .string()
  .transform((q, ctx) => {
    const checked = checkSearchQuery(q);
    if (checked.ok) return checked.query;
    ctx.addIssue({ code: 'custom', message: checked.error });
    return z.NEVER;
  });

/**
 * A snippet of the message around the hit, as text segments; `hit: true`
 * marks the matched words. Plain text, never HTML: the UI renders a hit
 * segment as a `<mark>` element.
 */
export const SnippetSchema = z.array(z.object({ text: z.string(), hit: z.boolean() }));
export type Snippet = z.infer<typeof SnippetSchema>;

/** One message that matched, with where it is: its project, its session, and its place in the transcript. */
export const SearchHitSchema = z.object({
  projectId: z.string(),
  projectName: z.string(),
  /** The session's record: date (`createdAt`, ms since epoch), provider, status. */
  session: SessionRecordSchema,
  /** The transcript's key of the display message (`<role>:<event id>`): the row to scroll to. */
  messageKey: z.string(),
  role: z.enum(SEARCH_ROLES),
  /** seqId of the event that created the message. */
  seqId: z.number().int().nonnegative(),
  /** ms since epoch of that event. */
  ts: z.number(),
  snippet: SnippetSchema,
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const searchRequests = {
  /**
   * The messages that match, newest first (by when each was first
   * stored), at most `limit`, across every project. `more` says that further hits were left off. Errors: an
   * empty query, one without letters or digits, one over
   * {@link MAX_SEARCH_QUERY_CHARS} characters.
   */
  'search.query': {
    params: z.object({ query: SearchQuerySchema, limit: z.number().int().min(1).max(100).default(50) }).strict(),
    response: z.object({ hits: z.array(SearchHitSchema), more: z.boolean() }),
  },
};
