/**
 * GitLab tokens, by their documented prefixes (docs.gitlab.com, "Token prefixes"), with the
 * lengths of gitleaks' rules: personal (`glpat-`, 20), deploy (`gldt-`), runner (`glrt-`), feed
 * (`glft-`), SCIM (`glsoat-`), feature-flag client (`glffct-`), incoming mail (`glimt-`, 25),
 * pipeline trigger (`glptt-`, 40 hex), agent (`glagent-`, 50), OAuth app secret (`gloas-`, 64),
 * CI job (`glcbt-<n>_…`), routable tokens (`glpat-<payload>.<9>`, `glrt-t<n>_<payload>.<9>`) and
 * legacy runner registration tokens (`GR1348941…`).
 */
import { anchoredDetector } from './anchored.js';
import { isPlaceholderToken } from './entropy.js';

/** The random part: after `GR1348941` or after the first `-`. */
export function tokenBody(value: string): string {
  return value.startsWith('GR1348941') ? value.slice(9) : value.slice(value.indexOf('-') + 1);
}

/** Start of the `gl…-` prefix whose `-` is at `dash` (prefixes are 4 to 7 letters), or -1. */
export function prefixStart(text: string, dash: number): number {
  for (let k = 4; k <= 7; k++) if (text.charCodeAt(dash - k) === 103 && text.charCodeAt(dash - k + 1) === 108) return dash - k;
  return -1;
}

export const gitlabDetector = anchoredDetector({
  id: 'gitlab-token',
  entity: 'GITLAB_TOKEN',
  patterns: [
    {
      name: 'gitlab-token',
      // `-` is rarer in prose than `gl` (English, glad, ugly): anchor on it and look back.
      anchors: ['-'],
      lead: prefixStart,
      extract: /gl(?:pat|oas|dt|rt|cbt|ptt|ft|imt|agent|soat|ffct)-[0-9A-Za-z_.-]{1,320}/y,
      shape:
        /^gl(?:pat-[0-9A-Za-z_-]{27,300}\.[0-9a-z]{9}|rt-t[0-9]_[0-9A-Za-z_-]{27,300}\.[0-9a-z]{9}|(?:pat|dt|rt|ft|soat|ffct)-[0-9A-Za-z_-]{20}|imt-[0-9A-Za-z_-]{25}|ptt-[0-9a-f]{40}|agent-[0-9A-Za-z_-]{50}|oas-[0-9A-Za-z_-]{64}|cbt-[0-9A-Za-z]{1,5}_[0-9A-Za-z_-]{20})$/,
      score: 0.9,
    },
    {
      name: 'gitlab-runner-registration',
      anchors: ['GR13'],
      extract: /GR1348941[0-9A-Za-z_.-]{1,30}/y,
      shape: /^GR1348941[0-9A-Za-z_-]{20}$/,
      score: 0.85,
    },
  ],
  context: ['gitlab', 'token'],
  validate: (value) => (isPlaceholderToken(tokenBody(value)) ? false : undefined),
});
