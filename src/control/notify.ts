import type { AppContext } from '../context.js';
import { scrubSecrets } from '../core/logger.js';
import { platformLabel } from '../summaries/validate.js';

/** What the operator is told about (one message each). */
export type NotifyEvent =
  | { kind: 'needs-attention'; account: string; platform: string; reason: string; action?: string }
  | { kind: 'failed'; id: string; account: string; platform: string; title?: string; reason: string }
  | {
      kind: 'retracted';
      id: string;
      account: string;
      platform: string;
      title?: string;
      url?: string;
      why: string;
    };

/** Variable names whose values are secrets: never in a message, whatever the text carried. */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|KEY)$/i;

/** Removes every secret of the environment (and anything looking like a credential) from a message. */
export function redactSecrets(text: string, env: Record<string, string | undefined>): string {
  let out = scrubSecrets(text);
  const secrets = Object.entries(env)
    .filter(([k, v]) => SECRET_NAME.test(k) && v && v.length >= 6)
    .map(([, v]) => v!)
    .sort((a, b) => b.length - a.length);
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

/** The message of an event, for a human in a chat channel. */
export function notifyText(e: NotifyEvent, siteName: string): string {
  const where = `${platformLabel(e.platform)} account ${e.account}`;
  switch (e.kind) {
    case 'needs-attention':
      return `[${siteName}] ${where} needs attention: ${e.reason}.${e.action ? ` What to do: ${e.action}.` : ''} Its posts wait; nothing is lost.`;
    case 'failed':
      return `[${siteName}] A post failed for good on ${where}${e.title ? ` ("${e.title}")` : ''}: ${e.reason}. "crier retry ${e.id}" sends it again.`;
    case 'retracted':
      return `[${siteName}] A post was retracted (deleted) on ${where}${e.title ? ` ("${e.title}")` : ''}${e.url ? `: ${e.url}` : ''}. ${e.why}`;
  }
}

/**
 * Tells the operator through `notify.webhookUrl` (Slack- and Mattermost-compatible `{"text": …}`). Never
 * throws and never holds the caller long: a webhook that fails is logged and the work goes on. No secret is
 * ever in the message.
 */
export async function notify(ctx: AppContext, event: NotifyEvent): Promise<boolean> {
  const url = ctx.config.notify?.webhookUrl;
  if (!url) return false;
  const text = redactSecrets(notifyText(event, ctx.config.site.name), ctx.env);
  try {
    // Loaded here: the commands that never notify (status, schedule list) do not load an HTTP client.
    const { default: axios } = await import('axios');
    await axios.post(
      url,
      { text },
      { timeout: Math.min(10_000, ctx.config.publishing.requestTimeoutMs), maxRedirects: 0 },
    );
    ctx.logger.info({ event: 'notified', kind: event.kind, account: event.account }, 'operator notified');
    return true;
  } catch (err) {
    ctx.logger.warn(
      { event: 'notify-failed', kind: event.kind, error: scrubSecrets((err as Error).message) },
      'operator notification failed',
    );
    return false;
  }
}
