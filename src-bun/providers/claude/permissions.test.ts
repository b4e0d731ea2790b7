import { describe, expect, it } from 'bun:test';
import { AgentEventSchema } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import {
  DEFAULT_DENIAL, PLAN_DENIAL, claudeApprovals, claudeDecision, claudePermissionRequest, claudePermissionResult, sessionAllowKey,
} from './permissions';

/** The decision's behavior for each tool, in one mode. */
const behaviors = (mode: PermissionMode, tools: string[], allowed = new Set<string>()) =>
  Object.fromEntries(tools.map((t) => [t, claudeDecision(mode, t, allowed).behavior]));

const TOOLS = ['Read', 'Grep', 'Bash', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'WebFetch', 'ExitPlanMode'];

describe('claudeDecision: what each permission mode asks about', () => {
  it('default asks before Bash, every edit tool and unknown tools; reads run', () => {
    expect(behaviors('default', TOOLS)).toEqual({
      Read: 'allow', Grep: 'allow', Bash: 'ask', Write: 'ask', Edit: 'ask', MultiEdit: 'ask', NotebookEdit: 'ask', WebFetch: 'ask', ExitPlanMode: 'allow',
    });
  });

  it('acceptEdits runs edits and asks before Bash', () => {
    expect(behaviors('acceptEdits', TOOLS)).toEqual({
      Read: 'allow', Grep: 'allow', Bash: 'ask', Write: 'allow', Edit: 'allow', MultiEdit: 'allow', NotebookEdit: 'allow', WebFetch: 'ask', ExitPlanMode: 'allow',
    });
  });

  it('plan refuses everything but reads, leaving plan mode included, with a message for the model', () => {
    expect(behaviors('plan', TOOLS)).toEqual({
      Read: 'allow', Grep: 'allow', Bash: 'deny', Write: 'deny', Edit: 'deny', MultiEdit: 'deny', NotebookEdit: 'deny', WebFetch: 'deny', ExitPlanMode: 'deny',
    });
    expect(claudeDecision('plan', 'Bash')).toEqual({ behavior: 'deny', message: PLAN_DENIAL });
  });

  it('bypassPermissions runs everything', () => {
    expect(new Set(Object.values(behaviors('bypassPermissions', TOOLS)))).toEqual(new Set(['allow']));
  });

  it('a kind allowed for the session runs without asking; one edit tool allowed allows them all, Bash stays separate', () => {
    const allowed = new Set([sessionAllowKey('Write')]);
    expect(behaviors('default', ['Write', 'Edit', 'MultiEdit', 'Bash'], allowed)).toEqual({ Write: 'allow', Edit: 'allow', MultiEdit: 'allow', Bash: 'ask' });
    expect(claudeDecision('default', 'Bash', new Set([sessionAllowKey('Bash')]))).toEqual({ behavior: 'allow' });
    // Plan mode is not loosened by an earlier session allowance.
    expect(claudeDecision('plan', 'Bash', new Set(['Bash'])).behavior).toBe('deny');
  });
});

describe('claudePermissionRequest: the card of a tool call', () => {
  it('shows a Bash call with its command and the three answers', () => {
    const event = claudePermissionRequest('perm-1', 'Bash', { command: 'rm -rf build', description: 'Clean' });
    expect(AgentEventSchema.parse(event)).toEqual({
      type: 'permission_request',
      id: 'perm-1',
      title: 'Run a command: rm -rf build',
      options: [
        { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
        { optionId: 'allow_session', name: 'Allow for this session', kind: 'allow_always' },
        { optionId: 'deny', name: 'Deny', kind: 'reject_once' },
      ],
      tool: 'Bash',
      command: 'rm -rf build',
      acceptsMessage: true,
    });
  });

  it('shows a Write as the whole file before and after, from line 1, and prefers Claude Code\'s own title', () => {
    const input = { file_path: '/p/notes.txt', content: 'new\n' };
    expect(claudePermissionRequest('perm-2', 'Write', input, { title: 'Claude wants to write notes.txt', existingText: 'old\n' })).toMatchObject({
      title: 'Claude wants to write notes.txt', tool: 'Write', path: '/p/notes.txt', diff: { path: '/p/notes.txt', oldText: 'old\n', newText: 'new\n', oldStart: 1, newStart: 1 },
    });
    expect(claudePermissionRequest('perm-3', 'Write', input).diff).toEqual({ path: '/p/notes.txt', oldText: null, newText: 'new\n', oldStart: 1, newStart: 1 });
  });

  it('shows an Edit as the replaced snippet, and a MultiEdit as its snippets joined', () => {
    expect(claudePermissionRequest('e', 'Edit', { file_path: '/p/a.ts', old_string: 'let a = 1', new_string: 'const a = 1' }).diff)
      .toEqual({ path: '/p/a.ts', oldText: 'let a = 1', newText: 'const a = 1' });
    const multi = claudePermissionRequest('m', 'MultiEdit', { file_path: '/p/a.ts', edits: [{ old_string: 'a', new_string: 'b' }, { old_string: 'c', new_string: 'd' }] });
    expect(multi.diff).toEqual({ path: '/p/a.ts', oldText: 'a\n…\nc', newText: 'b\n…\nd' });
  });

  it('survives a malformed input: no command, no path, still a valid event', () => {
    const event = claudePermissionRequest('x', 'Bash', { command: 42 });
    expect(AgentEventSchema.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({ title: 'Use Bash', tool: 'Bash' });
    expect(event.command).toBeUndefined();
  });
});

describe('claudePermissionResult: the answer as canUseTool returns it', () => {
  it('allows with the input unchanged, and denies with the user\'s message or a default one', () => {
    const input = { command: 'ls' };
    expect(claudePermissionResult('allow_once', input)).toEqual({ behavior: 'allow', updatedInput: input });
    expect(claudePermissionResult('allow_session', input, 'ignored')).toEqual({ behavior: 'allow', updatedInput: input });
    expect(claudePermissionResult('deny', input, '  Use the Makefile instead.  ')).toEqual({ behavior: 'deny', message: 'Use the Makefile instead.' });
    expect(claudePermissionResult('deny', input, '   ')).toEqual({ behavior: 'deny', message: DEFAULT_DENIAL });
  });
});

describe('claudeApprovals', () => {
  it('says bypass only for bypassPermissions', () => {
    expect(claudeApprovals('bypassPermissions')).toEqual({ policy: 'bypass' });
    expect(claudeApprovals('default')).toEqual({ policy: 'ask' });
    expect(claudeApprovals('plan')).toEqual({ policy: 'ask' });
  });
});
