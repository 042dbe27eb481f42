/** Secret detectors: cloud keys, platform tokens, private keys, JWTs, generic high-entropy values. */
import type { Detector } from '../../types.js';
import { awsDetector } from './aws.js';
import { azureDetector } from './azure.js';
import { gcpDetector } from './gcp.js';
import { genericSecretDetector } from './generic.js';
import { githubDetector } from './github.js';
import { gitlabDetector } from './gitlab.js';
import { jwtDetector } from './jwt.js';
import { privateKeyDetector } from './private-key.js';
import { slackDetector } from './slack.js';
import { stripeDetector } from './stripe.js';

export const secretDetectors: Detector[] = [
  awsDetector,
  gcpDetector,
  azureDetector,
  githubDetector,
  gitlabDetector,
  slackDetector,
  stripeDetector,
  privateKeyDetector,
  jwtDetector,
  genericSecretDetector,
];
