/** Public surface of the egress allow-list proxy. */
export { startEgressProxy } from './proxy.js';
export type { Connector, EgressAllowEvent, EgressBlockEvent, EgressProxy, EgressProxyOptions, EgressStats } from './proxy.js';
export { compileAllowList, compileEntry } from './allow-list.js';
export type { AllowEntry, AllowEntryInput, AllowList, AllowListInput } from './allow-list.js';
export { addressPermitted, checkTarget, matchTarget, systemResolver } from './policy.js';
export type { BlockReason, ResolvedAddress, Resolver, Verdict } from './policy.js';
export { classifyAddress, METADATA_HOSTNAMES } from './ip.js';
export type { AddressClass } from './ip.js';
export { askPolicy, egressAction, enginePolicy } from './engine.js';
export type { EgressPolicy, EgressPolicyQuery, EgressPolicyVerdict } from './engine.js';
export { compileMesh } from './mesh.js';
export type { Mesh, MeshHop, MeshOptions, MeshPeerInput, MeshRoute } from './mesh.js';
