import type { Command } from 'commander';

/** `xuncha schedule`: the console's scheduler without its web pages (src/schedule/). */
export function registerScheduleCommand(program: Command): void {
  void program;
}
