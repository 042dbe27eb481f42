/**
 * Stripe secret (`sk_`) and restricted (`rk_`) API keys. Live keys move real money and score
 * high; test-mode keys only reach a sandbox, so they score just above the default threshold.
 * Publishable keys (`pk_`) are public by design and not reported.
 */
import { anchoredDetector } from './anchored.js';
import { isPlaceholderToken } from './entropy.js';

export const LIVE_SCORE = 0.95;
export const TEST_SCORE = 0.5;

export const stripeDetector = anchoredDetector({
  id: 'stripe-key',
  entity: 'STRIPE_KEY',
  patterns: [
    {
      name: 'stripe-live',
      anchors: ['_live_'],
      lead: 2,
      extract: /[rs]k_live_[0-9A-Za-z_]{1,260}/y,
      shape: /^[rs]k_live_[0-9A-Za-z]{16,247}$/,
      score: LIVE_SCORE,
    },
    {
      name: 'stripe-test',
      anchors: ['_test_'],
      lead: 2,
      extract: /[rs]k_test_[0-9A-Za-z_]{1,260}/y,
      shape: /^[rs]k_test_[0-9A-Za-z]{16,247}$/,
      score: TEST_SCORE,
    },
  ],
  context: ['stripe', 'key', 'secret'],
  validate: (value) => (isPlaceholderToken(value.slice(8)) ? false : undefined),
});
