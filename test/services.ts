/**
 * Tests that need an outside service (PostgreSQL, Redis) ask here first. Absent service: the suite is
 * skipped with a message saying how to run it — unless ESQ_REQUIRE_SERVICES=1 (CI), where absence fails.
 */

/** `describe` options: `{}` when the service answered, `{ skip: why }` when it did not. */
export interface ServiceGate {
  available: boolean;
  skip?: string;
}

export async function needService(name: string, probe: () => Promise<void>, hint: string): Promise<ServiceGate> {
  try {
    await probe();
    return { available: true };
  } catch (e) {
    const why = `${name} unreachable (${(e as Error).message}); ${hint}`;
    if (process.env.ESQ_REQUIRE_SERVICES === '1') {
      throw new Error(`${why} — ESQ_REQUIRE_SERVICES=1 makes a missing service a failure`, { cause: e });
    }
    return { available: false, skip: why };
  }
}

/** The PostgreSQL test runs use: ESQ_DATABASE_URL, else the local default. Each run makes its own schema. */
export const TEST_DATABASE_URL = process.env.ESQ_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
