export { ZT_HEADER, MAX_TOKEN_TTL_MS, requestBinding, type ZeroTrustClaims } from './claims.js';
export { TokenSigner, jwsAlgorithmFor, type TokenSignerOptions, type MintRequest } from './sign.js';
export { verifyZeroTrustToken, ZeroTrustTokenError, type TokenRejection, type VerifyTokenOptions } from './verify.js';
export { MemoryReplayCache, RedisReplayCache, connectRedisReplayCache, type ReplayCache, type RedisSetNx } from './replay-cache.js';
export { zeroTrustInterceptor } from './inject.js';
