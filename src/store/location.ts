/**
 * Is this store location a PostgreSQL connection string (else a SQLite file path or ':memory:')?
 * Apart from db.ts so that a command can tell without loading either engine's driver.
 */
export function isPostgres(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}
