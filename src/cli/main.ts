import { Command } from 'commander';
import { VERSION } from '../version.js';
import { chineseHelp } from './common.js';

type Register = (program: Command) => void;

/**
 * Every command's module with the names it registers, in the order help lists them. A start of the
 * CLI loads only the module of the command it runs (`xuncha scan` does not load the crawler, the
 * console or the queue); help, a mistyped command (whose suggestions need every name) and
 * `xuncha help …` load them all.
 */
const COMMANDS: [names: readonly string[], load: () => Promise<Register>][] = [
  [['demo'], async () => (await import('./demoCommand.js')).registerDemoCommand],
  [
    ['run', 'crawl', 'check', 'evidence', 'score', 'report'],
    async () => (await import('./runCommands.js')).registerRunCommands,
  ],
  [['probe'], async () => (await import('./probeCommand.js')).registerProbeCommand],
  [['extract'], async () => (await import('./extractCommand.js')).registerExtractCommand],
  [['scan'], async () => (await import('./scanCommand.js')).registerScanCommand],
  [['recheck'], async () => (await import('./recheckCommand.js')).registerRecheckCommand],
  [['review'], async () => (await import('./reviewCommand.js')).registerReviewCommand],
  [['seeds'], async () => (await import('./seedsCommand.js')).registerSeedsCommand],
  [['catalogue'], async () => (await import('./catalogueCommand.js')).registerCatalogueCommand],
  [['worker', 'status'], async () => (await import('./queueCommands.js')).registerQueueCommands],
  [['serve'], async () => (await import('./serveCommand.js')).registerServeCommand],
  [['schedule'], async () => (await import('./scheduleCommand.js')).registerScheduleCommand],
];

/** The program with the commands `argv` may run: the named one, or all of them. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('xuncha')
    .description('巡查：政府网站政务公开网上巡查工具（抓取、检查、评分、排名、整改通知）')
    .version(VERSION, '-V, --version', '显示版本号');
  const named = COMMANDS.find(([names]) => names.includes(argv[2] ?? ''));
  for (const [, load] of named ? [named] : COMMANDS) (await load())(program);
  // Nested commands (review list/dismiss…) get the Chinese help too.
  const localise = (c: Command): void => {
    chineseHelp(c);
    c.commands.forEach(localise);
  };
  program.commands.forEach(localise);
  return chineseHelp(program);
}

await (await buildProgram(process.argv)).parseAsync(process.argv);
