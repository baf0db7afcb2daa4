import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';

/**
 * The store's identity: a random id written once, the first time anyone asks. Workers name their
 * work queue after it, so every process that opens one store — whatever address it was given
 * (a host name on one machine, an IP address on another) — shares one queue, and two stores
 * sharing one Redis never mix their jobs.
 */
export async function storeId(db: Db): Promise<string> {
  await db
    .insertInto('store_info')
    .values({ key: 'id', value: randomUUID() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('store_info')
    .select('value')
    .where('key', '=', 'id')
    .executeTakeFirstOrThrow();
  return row.value;
}
