import { Command } from 'commander';
import { VERSION } from '../version.js';
import { chineseHelp } from './common.js';
import { registerRunCommands } from './runCommands.js';
import { registerDemoCommand } from './demoCommand.js';
import { registerProbeCommand } from './probeCommand.js';
import { registerExtractCommand } from './extractCommand.js';
import { registerScanCommand } from './scanCommand.js';
import { registerRecheckCommand } from './recheckCommand.js';
import { registerReviewCommand } from './reviewCommand.js';
import { registerSeedsCommand } from './seedsCommand.js';
import { registerCatalogueCommand } from './catalogueCommand.js';
import { registerQueueCommands } from './queueCommands.js';
import { registerServeCommand } from './serveCommand.js';
import { registerScheduleCommand } from './scheduleCommand.js';

export function buildProgram(): Command {
  const program = new Command('xuncha')
    .description('巡查：政府网站政务公开网上巡查工具（抓取、检查、评分、排名、整改通知）')
    .version(VERSION, '-V, --version', '显示版本号');
  registerDemoCommand(program);
  registerRunCommands(program);
  registerProbeCommand(program);
  registerExtractCommand(program);
  registerScanCommand(program);
  registerRecheckCommand(program);
  registerReviewCommand(program);
  registerSeedsCommand(program);
  registerCatalogueCommand(program);
  registerQueueCommands(program);
  registerServeCommand(program);
  registerScheduleCommand(program);
  // Nested commands (review list/dismiss…) get the Chinese help too.
  const localise = (c: Command): void => {
    chineseHelp(c);
    c.commands.forEach(localise);
  };
  program.commands.forEach(localise);
  return chineseHelp(program);
}

await buildProgram().parseAsync(process.argv);
