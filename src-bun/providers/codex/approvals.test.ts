import { describe, expect, it } from 'bun:test';
import { codexApprovals, codexDecision, codexPolicy, codexWireDecision, isCodexOptionId } from './approvals';

describe('Codex approval policy per permission mode', () => {
  it('derives sandbox and approval policy from the mode; an explicit sandbox wins, the approval policy stays', () => {
    expect(codexPolicy('default')).toEqual({ sandbox: 'workspace-write', approvalPolicy: 'untrusted' });
    expect(codexPolicy('acceptEdits')).toEqual({ sandbox: 'workspace-write', approvalPolicy: 'untrusted' });
    expect(codexPolicy('plan')).toEqual({ sandbox: 'read-only', approvalPolicy: 'untrusted' });
    expect(codexPolicy('bypassPermissions')).toEqual({ sandbox: 'danger-full-access', approvalPolicy: 'never' });
    expect(codexPolicy('default', 'danger-full-access')).toEqual({ sandbox: 'danger-full-access', approvalPolicy: 'untrusted' });
    expect(codexPolicy('bypassPermissions', 'read-only')).toEqual({ sandbox: 'read-only', approvalPolicy: 'never' });
  });

  it('tells the header whether Codex asks, and in which sandbox', () => {
    expect(codexApprovals('default')).toEqual({ policy: 'ask', sandbox: 'workspace-write' });
    expect(codexApprovals('plan')).toEqual({ policy: 'ask', sandbox: 'read-only' });
    expect(codexApprovals('bypassPermissions')).toEqual({ policy: 'bypass', sandbox: 'danger-full-access' });
    expect(codexApprovals('default', 'read-only')).toEqual({ policy: 'ask', sandbox: 'read-only' });
  });

  it('asks before commands and edits in default, only before commands in acceptEdits, declines all in plan', () => {
    expect(codexDecision('default', 'command')).toBe('ask');
    expect(codexDecision('default', 'edit')).toBe('ask');
    expect(codexDecision('acceptEdits', 'command')).toBe('ask');
    expect(codexDecision('acceptEdits', 'edit')).toBe('accept');
    expect(codexDecision('plan', 'command')).toBe('decline');
    expect(codexDecision('plan', 'edit', new Set(['edit']))).toBe('decline');
    expect(codexDecision('bypassPermissions', 'command')).toBe('accept');
  });

  it('accepts what the user allowed for the session, and only that kind', () => {
    expect(codexDecision('default', 'command', new Set(['command']))).toBe('accept');
    expect(codexDecision('default', 'edit', new Set(['command']))).toBe('ask');
  });

  it('sends acceptForSession only where Codex offers it', () => {
    expect(codexWireDecision('allow_once', 'command')).toBe('accept');
    expect(codexWireDecision('deny', 'edit')).toBe('decline');
    expect(codexWireDecision('allow_session', 'edit')).toBe('acceptForSession');
    expect(codexWireDecision('allow_session', 'command', ['accept', 'acceptForSession', 'cancel'])).toBe('acceptForSession');
    // Under `untrusted` a command request offers accept, an execpolicy amendment and cancel.
    expect(codexWireDecision('allow_session', 'command', ['accept', { acceptWithExecpolicyAmendment: {} }, 'cancel'])).toBe('accept');
  });

  it('knows its option ids', () => {
    expect(['allow_once', 'allow_session', 'deny'].every(isCodexOptionId)).toBe(true);
    expect(isCodexOptionId('allow_always')).toBe(false);
  });
});
