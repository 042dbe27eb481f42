import { rateStoreConformance } from './rate-conformance.js';
import { MemoryRateStore } from './memory-rate-store.js';

// One process: the two "replicas" share the one in-memory store, which is all it can promise.
rateStoreConformance('memory', {
  async fresh() {
    const store = new MemoryRateStore();
    return { open: async () => store };
  },
});
