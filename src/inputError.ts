/**
 * A command refused because of what it was given or what the store holds: a malformed seed or rule
 * file, a bad flag, a batch another process is crawling. The CLI prints the (Chinese) message
 * without a stack and exits 2; any other error is a failure of ours and exits 3.
 *
 * One base class so that the CLI can tell the two apart without loading every module that defines
 * such an error (the rule validator alone brings in every check).
 */
export class InputError extends Error {}
