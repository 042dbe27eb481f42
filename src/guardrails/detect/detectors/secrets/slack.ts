/**
 * Slack tokens (api.slack.com "Token types": bot `xoxb-`, user `xoxp-`, configuration
 * `xoxe.xoxp-`/`xoxe-`, legacy workspace `xoxa-`/`xoxr-`, legacy `xoxs-`/`xoxo-`, app-level
 * `xapp-`) and incoming-webhook URLs (`hooks.slack.com/services/T…/B…/…`), shapes as in gitleaks.
 */
import type { Verdict } from '../../types.js';
import { anchoredDetector } from './anchored.js';
import { isPlaceholderToken } from './entropy.js';

export const TOKEN_SCORE = 0.9;
/** Legacy token shapes are loose (gitleaks calls xoxa/xoxr its least confident pattern). */
export const LEGACY_SCORE = 0.7;

/** The last segment, which carries the randomness (`xxxx` placeholders fail here). */
export function randomPart(value: string): string {
  return value.slice(Math.max(value.lastIndexOf('-'), value.lastIndexOf('/')) + 1);
}

/** Includes the URL's scheme, which is part of the secret a user would paste. */
function withScheme(text: string, start: number): number {
  if (text.startsWith('https://', start - 8)) return start - 8;
  if (text.startsWith('http://', start - 7)) return start - 7;
  return start;
}

function validate(value: string): Verdict {
  if (isPlaceholderToken(randomPart(value), 2.5)) return false;
  const kind = value.charCodeAt(3); // xox[a|r|s|o]: legacy
  return value.startsWith('xox') && (kind === 97 || kind === 114 || kind === 115 || kind === 111) ? LEGACY_SCORE : undefined;
}

export const slackDetector = anchoredDetector({
  id: 'slack-token',
  entity: 'SLACK_TOKEN',
  patterns: [
    {
      name: 'slack-token',
      anchors: ['xox'],
      extract: /xox[a-z][.-][0-9A-Za-z.-]{1,320}/y,
      // bot (and legacy bot) | user | configuration | configuration refresh | legacy workspace | legacy
      shape:
        /^xox(?:b-[0-9]{8,14}-(?:[0-9]{10,13}-)?[0-9A-Za-z]{18,64}|[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[0-9A-Za-z]{28,34}|e\.xox[bp]-[0-9]-[0-9A-Za-z]{163,166}|e-[0-9]-[0-9A-Za-z]{146}|[ar]-[0-9A-Za-z-]{8,200}|[os]-[0-9]{1,14}-[0-9]{1,14}-[0-9]{1,14}-[0-9a-fA-F]{8,64})$/,
      score: TOKEN_SCORE,
    },
    {
      name: 'slack-app',
      anchors: ['xapp-'],
      extract: /xapp-[0-9A-Za-z.-]{1,200}/y,
      shape: /^xapp-[0-9]-[0-9A-Za-z]{8,16}-[0-9]{8,16}-[0-9A-Za-z]{32,80}$/,
      score: TOKEN_SCORE,
    },
    {
      name: 'slack-webhook',
      anchors: ['.slack'],
      lead: 5, // `hooks`
      extract: /hooks\.slack\.com\/[0-9A-Za-z_./+-]{1,200}/y,
      shape: /^hooks\.slack\.com\/(?:services\/T[0-9A-Z]{6,12}\/B[0-9A-Z]{6,12}\/[0-9A-Za-z]{20,32}|(?:workflows|triggers)\/T[0-9A-Z]{6,12}\/[0-9A-Za-z/]{10,120})$/,
      score: 0.95,
      widen: withScheme,
    },
  ],
  context: ['slack', 'token', 'webhook'],
  validate,
});
