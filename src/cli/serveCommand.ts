import type { Command } from 'commander';

/** `xuncha serve`: the web console (src/console/server.ts). */
export function registerServeCommand(program: Command): void {
  void program;
}
