import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { chineseHelp } from './common.js';
import { registerRunCommands } from './runCommands.js';
import { registerDemoCommand } from './demoCommand.js';
import { registerProbeCommand } from './probeCommand.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('xuncha')
    .description('巡查：政府网站政务公开网上巡查工具（抓取、检查、评分、排名、整改通知）')
    .version(pkg.version, '-V, --version', '显示版本号')
    .showHelpAfterError('（使用 --help 查看帮助）');
  registerDemoCommand(program);
  registerRunCommands(program);
  registerProbeCommand(program);
  program.commands.forEach(chineseHelp);
  return chineseHelp(program);
}

await buildProgram().parseAsync(process.argv);
